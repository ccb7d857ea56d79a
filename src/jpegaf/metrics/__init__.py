"""Image-quality metrics (PSNR, SSIM) for comparing processed images with their originals."""

from jpegaf.metrics.quality import PsnrSummary, psnr, psnr_torch, ssim, summarize_psnr

__all__ = ["PsnrSummary", "psnr", "psnr_torch", "ssim", "summarize_psnr"]
