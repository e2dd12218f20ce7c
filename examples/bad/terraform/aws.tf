data "aws_ami" "ubuntu_xenial" {
  most_recent = true
  owners      = ["099720109477"]

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"]
  }
}

data "aws_ami" "ubuntu_jammy" {
  most_recent = true
  owners      = ["099720109477"]

  filter {
    name   = "name"
    values = ["ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"]
  }
}

data "aws_ami" "rhel9" {
  most_recent = true
  owners      = ["309956199498"]

  filter {
    name   = "name"
    values = ["RHEL-9.4*_HVM-*-arm64-*"]
  }
}

# A long-lived legacy server still on Ubuntu 16.04.
resource "aws_instance" "legacy" {
  ami           = data.aws_ami.ubuntu_xenial.id
  instance_type = "t3.medium"
  user_data     = templatefile("${path.module}/scripts/onboard-linux.sh", local.arc_settings)
  tags          = merge(local.common_tags, { Name = "legacy-app" })
}

# RHEL 9 on Graviton: the support table lists RHEL for x86-64 only.
resource "aws_instance" "api" {
  ami           = data.aws_ami.rhel9.id
  instance_type = "m7g.large"
  user_data     = templatefile("${path.module}/scripts/onboard-linux.sh", local.arc_settings)
  tags          = merge(local.common_tags, { Name = "api" })
}

# Batch workers on spot capacity, each connected to Arc.
resource "aws_instance" "batch" {
  ami           = data.aws_ami.ubuntu_jammy.id
  instance_type = "c6i.large"
  user_data     = templatefile("${path.module}/scripts/onboard-linux.sh", local.arc_settings)

  instance_market_options {
    market_type = "spot"
  }
}

# Web tier: every instance the group launches connects to Arc at boot.
resource "aws_launch_template" "web" {
  name_prefix   = "web-"
  image_id      = data.aws_ami.ubuntu_jammy.id
  instance_type = "t3.small"
  user_data     = base64encode(templatefile("${path.module}/scripts/onboard-linux.sh", local.arc_settings))
}

resource "aws_autoscaling_group" "web" {
  name_prefix         = "web-"
  min_size            = 2
  max_size            = 10
  vpc_zone_identifier = ["subnet-0a1b2c3d4e5f60718"]

  launch_template {
    id      = aws_launch_template.web.id
    version = "$Latest"
  }
}
