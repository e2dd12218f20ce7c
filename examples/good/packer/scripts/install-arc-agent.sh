#!/bin/bash
# Bake the Connected Machine agent into the image without connecting it.
set -euo pipefail

curl -sSL https://packages.microsoft.com/config/ubuntu/22.04/packages-microsoft-prod.deb -o /tmp/packages-microsoft-prod.deb
sudo dpkg -i /tmp/packages-microsoft-prod.deb
sudo apt-get update
sudo apt-get install -y azcmagent
