#!/usr/bin/env bash
# Checks record and checkpoint signatures with plain openssl + jq (and coreutils), no project code:
# the cross-check an auditor can run with tools they already trust (docs/record-format.md §4, §6).
#
#   examples/openssl-verify.sh [docs/test-vectors.json]
#       the published vectors: the Ed25519, ES256 and SM2 signatures of `record` (each key id too),
#       the `signedRecord` hash, and the `checkpoint` note against its verifier key;
#   examples/openssl-verify.sh --bundle bundle.json --log-key <verifier key>
#       an evidence bundle: every signature of every record and key event with the key its key id
#       names, the record chain's hashes, and the checkpoint note against the pinned log key.
#
# Each check prints openssl's own verdict; the script stops at the first that fails (exit 1). It checks
# signatures and hashes only: inclusion and map proofs, key validity and lifecycle rules are the
# offline verifier's (java -jar traceability-core/target/traceability-core-*-cli.jar verify).
# Needs OpenSSL 3.0 or later (SM2 with SM3 and the default user id; -rawin for Ed25519).
# Signed bytes come from `jq -cS`: format v1 records have ASCII member names and integer numbers only, so jq's
# sorted compact output is their RFC 8785 form — except a string holding U+007F, which jq escapes and RFC 8785
# does not: such a record fails here (and its chain hash with it) though the verifier accepts it.
set -euo pipefail

usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "FAILED: $*" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# base64url without padding (record signatures, key events' publicKey) → bytes
b64url() { local s; s=$(tr -- '-_' '+/'); while (( ${#s} % 4 )); do s+="="; done; printf '%s' "$s" | base64 -d; }
sha256hex() { sha256sum | cut -c1-64; }

# verify_signature ALG PUB.pem MESSAGE SIGNATURE — as docs/record-format.md §4 gives the commands
verify_signature() {
  case "$1" in
    Ed25519) openssl pkeyutl -verify -pubin -inkey "$2" -rawin -in "$3" -sigfile "$4" ;;
    ES256) openssl dgst -sha256 -verify "$2" -signature "$4" "$3" ;;
    SM2) openssl pkeyutl -verify -pubin -inkey "$2" -rawin -in "$3" -sigfile "$4" -digest sm3 -pkeyopt distid:1234567812345678 ;;
    *) die "unknown algorithm $1" ;;
  esac
}

# verify_note NOTE_FILE VERIFIER_KEY — a C2SP signed note: Ed25519 over the text above the blank line,
# in the signature line of the key's name whose first 4 bytes are the key hash
verify_note() {
  local note=$1 vkey=$2 name hash raw line
  name=${vkey%%+*}; hash=$(cut -d+ -f2 <<<"$vkey")
  printf '%s' "$vkey" | cut -d+ -f3- | base64 -d >"$WORK/vkey.bin"
  [ "$(head -c1 "$WORK/vkey.bin" | od -An -tx1 | tr -d ' ')" = 01 ] || die "verifier key is not of type 0x01 (Ed25519)"
  tail -c 32 "$WORK/vkey.bin" >"$WORK/vkey.raw"
  # key hash = first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ raw key)
  [ "$({ printf '%s\n\001' "$name"; cat "$WORK/vkey.raw"; } | sha256hex | cut -c1-8)" = "$hash" ] || die "verifier key: its hash does not match its name and key"
  { printf '\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00'; cat "$WORK/vkey.raw"; } >"$WORK/note-key.der"
  openssl pkey -pubin -inform DER -in "$WORK/note-key.der" -out "$WORK/note-key.pem"
  sed '/^$/q' "$note" | sed '$d' >"$WORK/note.text"
  line=$(grep -F -- "— $name " "$note" | while read -r _ _ sig; do
    printf '%s' "$sig" | base64 -d | head -c4 | od -An -tx1 | tr -d ' \n' | grep -qx "$hash" && { echo "$sig"; break; }; done || true)
  [ -n "$line" ] || die "no signature line of $name+$hash in the note"
  printf '%s' "$line" | base64 -d | tail -c 64 >"$WORK/note.sig"
  echo -n "checkpoint $(sed -n 1p "$note") size $(sed -n 2p "$note"), signed by $name: "
  openssl pkeyutl -verify -pubin -inkey "$WORK/note-key.pem" -rawin -in "$WORK/note.text" -sigfile "$WORK/note.sig" || die "checkpoint signature"
}

# must_fail DESCRIPTION CMD… — a tampered input must be refused, or the checks above prove nothing
must_fail() {
  local what=$1; shift
  if ("$@") >/dev/null 2>&1; then die "$what was accepted"; fi
  echo "$what: refused, as it must be"
}

vectors() {
  local file=$1 n alg
  [ -f "$file" ] || die "no such file: $file"
  echo "== $file"
  jq -j .record.canonical "$file" >"$WORK/canonical.bin"
  [ "$(sha256hex <"$WORK/canonical.bin")" = "$(jq -r .record.canonicalSha256 "$file")" ] || die "record.canonicalSha256"
  # v1 records have ASCII member names and integers only, so jq's sorted compact form is RFC 8785
  [ "$(jq -jcS .record.input "$file" | sha256hex)" = "$(jq -r .record.canonicalSha256 "$file")" ] || die "jq -cS does not give record.canonical"
  echo "record.canonical: SHA-256 and jq's sorted compact form agree"
  n=$(jq '.signatures | length' "$file")
  for ((i = 0; i < n; i++)); do
    alg=$(jq -r ".signatures[$i].alg" "$file")
    jq -r ".signatures[$i].publicKeyPem" "$file" >"$WORK/pub.pem"
    jq -r ".signatures[$i].value" "$file" | b64url >"$WORK/sig.bin"
    [ "$(openssl pkey -pubin -in "$WORK/pub.pem" -outform DER | sha256hex)" = "$(jq -r ".signatures[$i].keyId" "$file")" ] || die "$alg key id"
    echo -n "$alg signature (key id = SHA-256 of the SubjectPublicKeyInfo): "
    verify_signature "$alg" "$WORK/pub.pem" "$WORK/canonical.bin" "$WORK/sig.bin" || die "$alg signature"
    { cat "$WORK/canonical.bin"; printf ' '; } >"$WORK/tampered.bin"
    must_fail "$alg signature over tampered bytes" verify_signature "$alg" "$WORK/pub.pem" "$WORK/tampered.bin" "$WORK/sig.bin"
  done
  [ "$(jq -j .signedRecord.canonical "$file" | sha256hex)" = "$(jq -r .signedRecord.hash "$file")" ] || die "signedRecord.hash"
  echo "signedRecord.hash = SHA-256 of the canonical envelope: ok"
  jq -j .checkpoint.note "$file" >"$WORK/checkpoint.note"
  verify_note "$WORK/checkpoint.note" "$(jq -r .checkpoint.verifierKey "$file")"
  sed '2s/.*/8/' "$WORK/checkpoint.note" >"$WORK/forged.note"
  must_fail "checkpoint with another tree size" verify_note "$WORK/forged.note" "$(jq -r .checkpoint.verifierKey "$file")"
  echo "OK: $n record signatures and the checkpoint verified with openssl"
}

bundle() {
  local file=$1 vkey=$2 log_id records=0 signatures=0 events=0 prev hash count
  [ -f "$file" ] || die "no such file: $file"
  echo "== $file ($(jq -r .subject "$file"))"
  jq -j .checkpoint "$file" >"$WORK/checkpoint.note"
  verify_note "$WORK/checkpoint.note" "$vkey"
  log_id=$(sha256hex <"$WORK/note-key.der")
  # keys: every key event's public key (base64url SPKI DER), whose SHA-256 must be its key id
  mkdir "$WORK/keys"
  while IFS=$'\t' read -r keyid alg spki; do
    printf '%s' "$spki" | b64url >"$WORK/keys/$keyid.der"
    [ "$(sha256hex <"$WORK/keys/$keyid.der")" = "$keyid" ] || die "key event: key id $keyid is not the SHA-256 of its key"
    openssl pkey -pubin -inform DER -in "$WORK/keys/$keyid.der" -out "$WORK/keys/$keyid.pem"
    echo "$alg" >"$WORK/keys/$keyid.alg"
  done < <(jq -r '.keyEvents[].entry.record.data | select(.publicKey) | [.keyId, .alg, .publicKey] | @tsv' "$file")
  # key events are signed by the log key
  count=$(jq '.keyEvents | length' "$file")
  for ((i = 0; i < count; i++)); do
    jq -jcS ".keyEvents[$i].entry.record" "$file" >"$WORK/msg.bin"
    [ "$(jq -r ".keyEvents[$i].entry.signatures | length" "$file")" = 1 ] || die "key event $i: expected one signature, by the log key"
    [ "$(jq -r ".keyEvents[$i].entry.signatures[0].keyId" "$file")" = "$log_id" ] || die "key event $i is not signed by the log key"
    jq -r ".keyEvents[$i].entry.signatures[0].value" "$file" | b64url >"$WORK/sig.bin"
    openssl pkeyutl -verify -pubin -inkey "$WORK/note-key.pem" -rawin -in "$WORK/msg.bin" -sigfile "$WORK/sig.bin" >/dev/null \
      || die "key event $i ($(jq -r ".keyEvents[$i].entry.record | .type + \" \" + .subject" "$file")) signature"
    events=$((events + 1))
  done
  echo "$events key events signed by the log key: verified"
  # records: each signature with the key its key id names; each prev = SHA-256 of the previous envelope
  count=$(jq '.records | length' "$file")
  prev=null
  for ((i = 0; i < count; i++)); do
    [ "$(jq -r ".records[$i].entry.record.prev" "$file")" = "$prev" ] || die "record $i: prev is not the previous record's hash"
    jq -jcS ".records[$i].entry.record" "$file" >"$WORK/msg.bin"
    while IFS=$'\t' read -r keyid alg value; do
      [ -f "$WORK/keys/$keyid.pem" ] || die "record $i: no key event registers key $keyid"
      [ "$(cat "$WORK/keys/$keyid.alg")" = "$alg" ] || die "record $i: $alg signature by a $(cat "$WORK/keys/$keyid.alg") key"
      printf '%s' "$value" | b64url >"$WORK/sig.bin"
      echo -n "#$(jq -r ".records[$i].entry.record | \"\(.seq) \(.type)\"" "$file") $alg ${keyid:0:12}…: "
      verify_signature "$alg" "$WORK/keys/$keyid.pem" "$WORK/msg.bin" "$WORK/sig.bin" || die "record $i $alg signature"
      signatures=$((signatures + 1))
    done < <(jq -r ".records[$i].entry.signatures[] | [.keyId, .alg, .value] | @tsv" "$file")
    hash=$(jq -jcS ".records[$i].entry" "$file" | sha256hex)
    prev=$hash
    records=$((records + 1))
  done
  echo "OK: $signatures signatures on $records records, $events key events and the checkpoint verified with openssl"
}

command -v openssl >/dev/null && command -v jq >/dev/null || die "needs openssl and jq"
case "${1:-}" in
  -h | --help) usage ;;
  --bundle)
    [ $# -eq 4 ] && [ "$3" = --log-key ] || usage
    bundle "$2" "$4" ;;
  *)
    [ $# -le 1 ] || usage
    vectors "${1:-$(cd "$(dirname "$0")/.." && pwd)/docs/test-vectors.json}" ;;
esac
