# Shell helpers for the examples: curl for the API, jq for JSON, openssl for Ed25519 signatures.
# Source it with API (e.g. http://localhost:8080/api/v1) and ADMIN (the admin token) set.
set -euo pipefail
: "${API:?set API, e.g. http://localhost:8080/api/v1}"
: "${ADMIN:?set ADMIN to the platform administrator token}"
WORK=${WORK:-$(mktemp -d)}

# call METHOD PATH TOKEN [BODY] — prints the response body; fails on an HTTP error, showing the problem.
call() {
  local method=$1 path=$2 token=$3 body=${4:-}
  local out status
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$API$path" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' ${body:+--data-binary "$body"})
  if [ "$status" -ge 400 ]; then
    echo "HTTP $status on $method $path: $(cat "$out")" >&2
    return 1
  fi
  cat "$out"
}

# credit_code FIRST17 — appends the GB 32100 check character to a 17-character base.
credit_code() {
  local chars=0123456789ABCDEFGHJKLMNPQRTUWXY weights=(1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28) sum=0 i c
  for i in $(seq 0 16); do
    c=${1:$i:1}
    local pos=${chars%%"$c"*}
    sum=$((sum + ${#pos} * weights[i]))
  done
  local check=$(((31 - sum % 31) % 31))
  echo "$1${chars:$check:1}"
}

# new_org VAR NAME ROLES_JSON QUALIFIED [MANUFACTURER_CODES_JSON] — registers an organization with an API token and an Ed25519 key.
# Sets VAR_ID, VAR_TOKEN, VAR_KEY (PEM path) and VAR_KEYID.
new_org() {
  local var=$1 name=$2 roles=$3 qualified=$4 codes=${5:-[]}
  local id
  id=$(credit_code "91430100$(printf '%09d' $(((RANDOM * 32768 + RANDOM) % 1000000000)))")
  call POST /organizations "$ADMIN" "$(jq -nc --arg id "$id" --arg name "$name" --argjson roles "$roles" --argjson q "$qualified" --argjson codes "$codes" \
    '{id: $id, name: $name, roles: $roles, region: "430100", manufacturerCodes: $codes,
      qualification: {qualified: $q, validUntil: "2030-12-31", reference: "MIIT-WL-2026"}}')" >/dev/null
  local token keyid
  token=$(call POST "/organizations/$id/tokens" "$ADMIN" '{"label":"example"}' | jq -r .token)
  openssl genpkey -algorithm ed25519 -out "$WORK/$var.pem" 2>/dev/null
  openssl pkey -in "$WORK/$var.pem" -pubout -out "$WORK/$var.pub"
  keyid=$(call POST "/organizations/$id/keys" "$token" "$(jq -n --rawfile pem "$WORK/$var.pub" '{publicKeyPem: $pem}')" | jq -r .keyId)
  printf -v "${var}_ID" %s "$id"
  printf -v "${var}_TOKEN" %s "$token"
  printf -v "${var}_KEY" %s "$WORK/$var.pem"
  printf -v "${var}_KEYID" %s "$keyid"
}

# sign_prepared ORG PREPARED_JSON — prints {"record", "signatures"} with ORG's Ed25519 signature over the canonical bytes.
sign_prepared() {
  local org=$1 prepared=$2 key keyid
  key=${org}_KEY; keyid=${org}_KEYID
  jq -j .canonical <<<"$prepared" >"$WORK/canonical.bin"
  openssl pkeyutl -sign -inkey "${!key}" -rawin -in "$WORK/canonical.bin" -out "$WORK/sig.bin"
  jq -c --arg k "${!keyid}" --arg s "$(base64 -w0 "$WORK/sig.bin" | tr '+/' '-_' | tr -d '=')" \
    '{record, signatures: [{keyId: $k, alg: "Ed25519", value: $s}]}' <<<"$prepared"
}

# record ORG SUBJECT TYPE [DATA_JSON] — prepare, sign, submit; prints "seq state custodian logIndex".
record() {
  local org=$1 subject=$2 type=$3 data=${4:-'{}'} token prepared
  token=${org}_TOKEN
  prepared=$(call POST /records/prepare "${!token}" "$(jq -nc --arg s "$subject" --arg t "$type" --argjson d "$data" '{subject: $s, type: $t, data: $d}')")
  call POST /records "${!token}" "$(sign_prepared "$org" "$prepared")" | jq -r '"#\(.seq) \(.state) at \(.custodian), log index \(.logIndex)"'
}

# transfer FROM TO SUBJECT — offer signed by FROM, accepted with TO's signature over the same bytes.
transfer() {
  local from=$1 to=$2 subject=$3 from_token to_token to_id prepared offer id signature
  from_token=${from}_TOKEN; to_token=${to}_TOKEN; to_id=${to}_ID
  prepared=$(call POST /records/prepare "${!from_token}" "$(jq -nc --arg s "$subject" --arg to "${!to_id}" '{subject: $s, type: "TRANSFERRED", data: {to: $to}}')")
  offer=$(sign_prepared "$from" "$prepared")
  id=$(call POST /transfers "${!from_token}" "$offer" | jq -r .id)
  signature=$(sign_prepared "$to" "$prepared" | jq -c '.signatures[0]')
  call POST "/transfers/$id/accept" "${!to_token}" "$signature" | jq -r '"#\(.seq) \(.state) now held by \(.custodian), log index \(.logIndex)"'
}
