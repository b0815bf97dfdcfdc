"""A stand-in for PyTorch in tests: only torch.distributed.run (torchrun) exists."""
