"""arclint: lint Terraform and Packer for Azure Arc onboarding mistakes."""

__version__ = "0.1.0"
