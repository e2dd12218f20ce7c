#!/bin/bash
# First-boot onboarding to Azure Arc with a unique resource name.
set -euo pipefail

INSTANCE_ID="$(cat /var/lib/cloud/data/instance-id)"
curl -sSL https://aka.ms/azcmagent -o /tmp/install_linux_azcmagent.sh
bash /tmp/install_linux_azcmagent.sh

azcmagent connect \
  --resource-group "${resource_group}" \
  --location "${location}" \
  --tenant-id "${tenant_id}" \
  --subscription-id "${subscription_id}" \
  --resource-name "$INSTANCE_ID" \
  --config /etc/azcmagent/onboard.json
