#!/usr/bin/env bash
# One pack from production to a second-life energy-storage product, and one pack dismantled into a recycling lot,
# against a running server. Usage: API=http://localhost:8080/api/v1 ADMIN=<admin token> ./walkthrough.sh
# Needs curl, jq and openssl. Leaves battery.env in $WORK for examples/auditor.
set -euo pipefail
source "$(dirname "$0")/../lib/trace.sh"
step() { printf '\n== %s\n' "$*"; }

step "Organizations (registered by the platform administrator, each with an API token and an Ed25519 key)"
new_org MAKER "Hunan Cell Works" '["BATTERY_MAKER"]' false
new_org OEM "Changsha Motors" '["VEHICLE_MAKER","DEALER"]' false
alphabet=0123456789ABCDEFGHJKLMNPRSTUVWXY
CASCADE_MFR="C${alphabet:$((RANDOM % 32)):1}${alphabet:$((RANDOM % 32)):1}"
new_org CASCADE "Xiangtan Second-Life Storage" '["CASCADE_ENTERPRISE"]' true "[\"$CASCADE_MFR\"]"
new_org RECYCLER "Hengyang Metals Recycling" '["RECYCLER","DISMANTLER"]' true
echo "maker $MAKER_ID, vehicle maker $OEM_ID, cascade enterprise $CASCADE_ID (white-listed), recycler $RECYCLER_ID (white-listed)"

serial=$(printf '%07d' $(((RANDOM * 32768 + RANDOM) % 9000000 + 1)))
PACK1="H5NPEA7HN24L01G3E$serial"
PACK2="H5NPBA7HN24L01G3E$(printf '%07d' $((10#$serial + 1)))"
MODULE2="H5NMBA7HN24L01G3E$(printf '%07d' $((10#$serial + 2)))"
LOT="LOT-$RECYCLER_ID-HN${serial}"

step "Pack $PACK1: production to a vehicle"
record MAKER "$PACK1" PRODUCED '{"ratedEnergyWh":75000,"ratedCapacityAh":150,"massGrams":452000}'
transfer MAKER OEM "$PACK1"
record OEM "$PACK1" INSTALLED '{"vin":"LSVAU218XN2183294"}'
record OEM "$PACK1" SOLD '{"dealerRegion":"430100"}'

step "Retirement, collection and residual-capacity test (GB/T 34015) at the cascade enterprise"
record OEM "$PACK1" RETIRED '{"odometerKm":182345,"reason":"capacity fade"}'
transfer OEM CASCADE "$PACK1"
record CASCADE "$PACK1" COLLECTED '{"site":"Xiangtan collection point 2"}'
record CASCADE "$PACK1" TESTED '{"measuredCapacityMah":118000,"ratedCapacityMah":150000,"capacityRatioBp":7866,"measuredEnergyWh":41300,"internalResistanceMicroOhm":85000,"decision":"CASCADE"}'
record CASCADE "$PACK1" REPURPOSED '{}'

PRODUCT=$(call POST /batteries/cascade-codes "$CASCADE_TOKEN" '{"level":"PACK","chemistry":"LFP","spec":"B1","extension":"PACK"}' | jq -r '.codes[0]')
step "Cascade product $PRODUCT (new 19-character code issued under manufacturer code $CASCADE_MFR) assembled, certified, deployed"
record CASCADE "$PRODUCT" ASSEMBLED "{\"sources\":[\"$PACK1\"],\"ratedEnergyWh\":52000}"
record CASCADE "$PRODUCT" CERTIFIED '{"certificateNumber":"CQC-2026-ESS-0042","certificationBody":"CQC","validFrom":"2026-01-01","validUntil":"2029-12-31"}'
record CASCADE "$PRODUCT" DEPLOYED '{"application":"ENERGY_STORAGE","site":"Zhuzhou substation 7"}'

step "Pack $PACK2 (with module $MODULE2): production to a vehicle and retirement"
record MAKER "$PACK2" PRODUCED '{"ratedEnergyWh":60000}'
record MAKER "$MODULE2" PRODUCED "{\"parent\":\"$PACK2\"}"
transfer MAKER OEM "$PACK2"
record OEM "$PACK2" INSTALLED '{"vin":"LFV2A21K8N3000019"}'
record OEM "$PACK2" RETIRED '{"reason":"accident damage"}'
transfer OEM RECYCLER "$PACK2"
record RECYCLER "$PACK2" COLLECTED '{}'

step "Dismantling: the module becomes the recycler's; both go into recycling lot $LOT"
record RECYCLER "$PACK2" DISMANTLED "{\"components\":[\"$MODULE2\"]}"
record RECYCLER "$MODULE2" SEPARATED "{\"parent\":\"$PACK2\"}"
record RECYCLER "$LOT" LOT_OPENED '{"process":"HYDROMETALLURGY"}'
record RECYCLER "$PACK2" RECYCLED "{\"lot\":\"$LOT\",\"massGrams\":310000}"
record RECYCLER "$MODULE2" RECYCLED "{\"lot\":\"$LOT\",\"massGrams\":28500}"
record RECYCLER "$LOT" LOT_CLOSED '{"contained":{"Li":4400,"Ni":26400,"Co":8800,"Mn":8100,"Cu":23700},"recovered":{"Li":4010,"Ni":26150,"Co":8640,"Mn":7990,"Cu":22900},"products":[{"form":"Li2CO3","massGrams":21300},{"form":"NiSO4","massGrams":118000}]}'
call GET "/lots/$LOT" "$RECYCLER_TOKEN" | jq -r '"lot \(.id): \(.inputBatteries) inputs, \(.inputMassGrams) g; recovery " + ([.recovery[] | "\(.metal) \(.rate) %"] | join(", ")),
  (.targets[] | "  \(.target): " + (if .met then "met" else "short of " + ([.shortfalls[] | "\(.metal) (needs \(.required) %, got \(.actual // "no assay") %)"] | join(", ")) end))'

step "Where things stand (the public summary; state and custody as the platform administrator reads them)"
for code in "$PACK1" "$PRODUCT" "$PACK2" "$MODULE2"; do
  curl -sS "$API/batteries/$code/summary" | jq -r '"\(.code)  \(.chemistryName), made by \(.maker)"'
  call GET "/batteries/$code" "$ADMIN" | jq -r '"    \(.state)  held by \(.custodian)  (\(.headSeq) records)"'
done
curl -sS -H 'Accept: text/plain' "$API/log/checkpoint" | head -2 | paste -sd' ' | sed 's/^/latest checkpoint: /'

printf 'BATTERY=%s\nTOKEN=%s\n' "$PACK1" "$CASCADE_TOKEN" >"$WORK/battery.env"
echo; echo "walk-through complete; for the auditor example: source $WORK/battery.env"
