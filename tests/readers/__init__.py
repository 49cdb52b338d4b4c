"""What lrcli reads: OpenMMLab and DeepSpeed configs, training logs, --lr-lambda expressions."""
