"""Networks: the GAN's generator and discriminator (Luo et al.), the SRM KV filter, VGG-16 features,
and the Bayar-Stamm constrained CNN JPEG detector.

One model per file, each with a frozen dataclass config that a checkpoint can store and rebuild from.
"""

from .detector_cnn import ConstrainedConv2d, DetectorCNN, DetectorCNNConfig
from .discriminator import DetectorDiscriminator, Discriminator, DiscriminatorConfig
from .generator import (Generator, GeneratorConfig, ResidualBlock, count_parameters, flops_per_pixel, noise_channels_of,
                        noise_planes)
from .srm import KV_KERNEL, SRMResidual, srm_residual
from .vgg import (CAFFE_MEAN_BGR, IMAGENET_MEAN, IMAGENET_STD, VGG16_CAFFE_WEIGHTS_FILENAME,
                  VGG16_SAFETENSORS_FILENAME, VGG16_WEIGHTS_FILENAME, VGG_PREPROCESSING, VGGConfig,
                  VGGFeatures, convert_vgg_to_safetensors, find_vgg_weights)

__all__ = [
    "Generator", "GeneratorConfig", "ResidualBlock", "count_parameters", "flops_per_pixel", "noise_channels_of", "noise_planes",
    "Discriminator", "DiscriminatorConfig", "DetectorDiscriminator", "ConstrainedConv2d", "DetectorCNN", "DetectorCNNConfig",
    "KV_KERNEL", "SRMResidual", "srm_residual",
    "VGGFeatures", "VGGConfig", "find_vgg_weights", "convert_vgg_to_safetensors",
    "VGG16_WEIGHTS_FILENAME", "VGG16_SAFETENSORS_FILENAME", "IMAGENET_MEAN", "IMAGENET_STD",
    "VGG16_CAFFE_WEIGHTS_FILENAME", "CAFFE_MEAN_BGR", "VGG_PREPROCESSING",
]
