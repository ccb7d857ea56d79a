"""Metrics: image quality (PSNR, SSIM) against the originals, and forensic rates (detection rate,
ROC AUC, true-positive rate at a fixed false-positive rate)."""

from jpegaf.metrics.forensic import calibrate_threshold, detection_rate, rate_interval, roc_auc, roc_curve, tpr_at_fpr
from jpegaf.metrics.quality import PsnrSummary, psnr, psnr_torch, ssim, summarize_psnr

__all__ = ["PsnrSummary", "calibrate_threshold", "detection_rate", "psnr", "rate_interval", "psnr_torch", "roc_auc", "roc_curve", "ssim",
           "summarize_psnr", "tpr_at_fpr"]
