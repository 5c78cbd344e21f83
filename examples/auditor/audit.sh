#!/usr/bin/env bash
# An auditor's offline check of one battery, trusting no server:
#   1. fetch the evidence bundle and the log's verifier key (pin it out of band in real life);
#   2. verify everything with the core's command-line verifier;
#   3. cross-check one record signature and the checkpoint signature with plain openssl;
#   4. show that a tampered bundle fails, and so does one that leaves off the newest record;
#   5. prove with the log-derived map that a code was never registered.
# Usage: API=http://localhost:8080/api/v1 TOKEN=<any org token> BATTERY=<code> ./audit.sh
set -euo pipefail
: "${API:?}" "${TOKEN:?}" "${BATTERY:?}"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLI=${CLI:-$(ls "$ROOT"/traceability-core/target/traceability-core-*-cli.jar | head -1)}
WORK=${WORK:-$(mktemp -d)}
cd "$WORK"

echo "== 1. evidence for $BATTERY"
curl -sSf -H "Authorization: Bearer $TOKEN" "$API/batteries/$BATTERY/evidence" >bundle.json
VKEY=$(curl -sSf "$API/log/key" | jq -r .verifierKey)
echo "pinned log key: $VKEY"
jq -r '"\(.records | length) records, \(.keyEvents | length) key events, checkpoint size \(.checkpoint | split("\n")[1])"' bundle.json

echo; echo "== 2. offline verification with the core's verifier"
java -jar "$CLI" verify --log-key "$VKEY" bundle.json

echo; echo "== 3a. record #1 signature with plain openssl"
# Format v1 records have ASCII member names and integer numbers, so jq's sorted compact output is the RFC 8785 form.
jq -jcS '.records[0].entry.record' bundle.json >record.bin
KEYID=$(jq -r '.records[0].entry.signatures[0].keyId' bundle.json)
jq -r --arg k "$KEYID" '.keyEvents[] | select(.entry.record.data.keyId == $k) | .entry.record.data.publicKey' bundle.json | head -1 \
  | tr -- '-_' '+/' | awk '{ while (length($0) % 4) $0 = $0 "="; print }' | base64 -d >signer.der
openssl pkey -pubin -inform DER -in signer.der -out signer.pem
jq -r '.records[0].entry.signatures[0].value' bundle.json | tr -- '-_' '+/' | awk '{ while (length($0) % 4) $0 = $0 "="; print }' | base64 -d >record.sig
[ "$(sha256sum <signer.der | cut -c1-64)" = "$KEYID" ] && echo "key id = SHA-256 of the SubjectPublicKeyInfo: ok"
openssl pkeyutl -verify -pubin -inkey signer.pem -rawin -in record.bin -sigfile record.sig

echo; echo "== 3b. checkpoint signature with plain openssl"
jq -j .checkpoint bundle.json >checkpoint.note
sed '/^$/q' checkpoint.note | sed '$d' >checkpoint.text
grep '^— ' checkpoint.note | awk '{print $NF}' | base64 -d | tail -c 64 >checkpoint.sig
{ printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; echo "$VKEY" | cut -d+ -f3- | base64 -d | tail -c 32; } >log.der
openssl pkey -pubin -inform DER -in log.der -out log.pem
openssl pkeyutl -verify -pubin -inkey log.pem -rawin -in checkpoint.text -sigfile checkpoint.sig

echo; echo "== 4. a tampered bundle (one record's data changed) must fail"
jq '.records[1].entry.record.data.note = "edited afterwards"' bundle.json >tampered.json
if java -jar "$CLI" verify --log-key "$VKEY" tampered.json; then
  echo "ERROR: the tampered bundle verified" >&2
  exit 1
fi
echo; echo "== 5. a bundle that leaves off the newest record must fail: the checkpoint's map names the latest (NOT_LATEST)"
jq '.records |= .[:-1]' bundle.json >shortened.json
if java -jar "$CLI" verify --log-key "$VKEY" shortened.json; then
  echo "ERROR: the shortened bundle verified" >&2
  exit 1
fi

echo; echo "== 6. \"never registered\": a non-membership proof from the public map (no token)"
NEVER=${BATTERY:0:17}9999999
curl -sSf "$API/log/map/proof?key=head:$NEVER" >absent.json
java -jar "$CLI" verify-map-proof --log-key "$VKEY" absent.json
curl -sSf "$API/log/map/proof?key=head:$BATTERY" >present.json
java -jar "$CLI" verify-map-proof --log-key "$VKEY" present.json

echo; echo "audit complete: genuine bundle verified, tampered and shortened bundles rejected, absence proven"
