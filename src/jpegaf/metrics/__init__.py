"""Metrics: image quality (PSNR, SSIM) against the originals, and forensic rates (detection rate,
ROC AUC, true-positive rate at a fixed false-positive rate)."""

from jpegaf.metrics.forensic import calibrate_threshold, calibrate_threshold_by_scene, detection_rate, rate_interval, roc_auc, roc_curve, scene_held_out_fpr, tpr_at_fpr
from jpegaf.metrics.quality import PsnrSummary, psnr, psnr_torch, ssim, summarize_psnr

__all__ = ["PsnrSummary", "calibrate_threshold", "calibrate_threshold_by_scene", "detection_rate", "psnr", "rate_interval", "psnr_torch", "roc_auc", "roc_curve", "scene_held_out_fpr", "ssim",
           "summarize_psnr", "tpr_at_fpr"]
