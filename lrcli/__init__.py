"""lrcli: the learning rate a PyTorch scheduler will set at every epoch, before you train."""

__version__ = "0.1.0"
