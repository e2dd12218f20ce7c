#!/bin/bash
set -euo pipefail

curl -sSL https://aka.ms/azcmagent -o /tmp/install_linux_azcmagent.sh
sudo bash /tmp/install_linux_azcmagent.sh

sudo azcmagent connect \
  --resource-group "$ARC_RESOURCE_GROUP" \
  --location westeurope \
  --config /tmp/arc-onboarding.json
