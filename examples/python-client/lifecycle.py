"""A battery's lifecycle through the Python client generated from openapi/traceability-api.yaml.

Three enterprises registered by the platform administrator, a pack produced, handed to a vehicle maker and on
to a recycler by two-party transfers, then its evidence bundle, its passport at each tier and the log's
checkpoint. Records are signed with Ed25519 by `cryptography` over the canonical bytes the server prepares.

Usage: PYTHONPATH=examples/python-client/target/generated-sources/python \
       python3 examples/python-client/lifecycle.py http://localhost:8080 change-me
(./mvnw -q -pl examples/python-client generate-sources writes the client there.)
"""
import base64
import hashlib
import json
import secrets
import sys
import time

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import batterytrace_client as api
from batterytrace_client import models as m


def credit_code(first17):
    """GB 32100 unified social credit code: the 17 characters and their check character."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(chars.index(c) * w for c, w in zip(first17, weights))
    return first17 + chars[(31 - total % 31) % 31]


def jcs(value):
    """RFC 8785 canonical JSON for what records hold (objects, strings, integers): sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def require(value):
    if value is None or value == "":
        raise AssertionError("a typed field came back empty")
    return value


class Party:
    """An enterprise: its credit code, a client that sends its API token, and its Ed25519 key."""

    def __init__(self, host, admin, name, role, qualified):
        self.id = credit_code("91430100%09d" % secrets.randbelow(10**9))
        api.OrganizationsApi(admin).create_organization(m.NewOrganization(
            id=self.id, name=name, roles=[role], region="430100",
            qualification=m.Qualification(qualified=qualified, valid_until="2030-12-31", reference="MIIT-WL-2026")))
        # The one-time secret, from the typed answer.
        token = require(api.OrganizationsApi(admin).issue_token(self.id, m.NewToken(label="python-client")).token)
        self.client = client(host, token)
        self.key = Ed25519PrivateKey.generate()
        spki = self.key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        pem = self.key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.key_id = hashlib.sha256(spki).hexdigest()  # the key id is the SHA-256 of the SubjectPublicKeyInfo
        registered = api.OrganizationsApi(self.client).register_key(self.id, m.NewKey(public_key_pem=pem.decode()))
        assert registered.key_id == self.key_id, (registered.key_id, self.key_id)

    def sign(self, prepared):
        """Ed25519 over the prepared canonical bytes, once they are checked to say what the typed record says."""
        canonical = jcs(prepared.record.to_dict())
        assert b64url(canonical) == prepared.canonical_base64_url, "the server's canonical bytes differ from the record's"
        return m.RecordSignature(key_id=self.key_id, alg="Ed25519", value=b64url(self.key.sign(canonical)))


def client(host, token=None):
    return api.ApiClient(api.Configuration(host=host, access_token=token))


def record(party, subject, type, data):
    prepared = api.RecordsApi(party.client).prepare_record(m.PrepareRequest(subject=subject, type=type, data=data))
    accepted = api.RecordsApi(party.client).submit_record(m.SignedRecord(record=prepared.record, signatures=[party.sign(prepared)]))
    print("#%d %-11s %s at %s, log index %d" % (accepted.seq, type, require(accepted.state), accepted.custodian, accepted.log_index))
    return accepted


def transfer(holder, receiver, subject):
    """The holder signs the TRANSFERRED offer; the receiver signs the same bytes to accept it."""
    prepared = api.RecordsApi(holder.client).prepare_record(m.PrepareRequest(subject=subject, type="TRANSFERRED", data={"to": receiver.id}))
    offer = api.TransfersApi(holder.client).offer_transfer(m.SignedRecord(record=prepared.record, signatures=[holder.sign(prepared)]))
    accepted = api.TransfersApi(receiver.client).accept_transfer(require(offer.id), receiver.sign(prepared))
    print("#%d TRANSFERRED %s now held by %s, log index %d" % (accepted.seq, accepted.state, require(accepted.custodian), accepted.log_index))


def main(host, admin_token):
    admin = client(host, admin_token)
    maker = Party(host, admin, "Hunan Cell Works", m.Role.BATTERY_MAKER, False)
    oem = Party(host, admin, "Changsha Motors", m.Role.VEHICLE_MAKER, False)
    recycler = Party(host, admin, "Hengyang Metals Recycling", m.Role.RECYCLER, True)

    pack = "H5NPEA7HN24L01G3E%07d" % (1 + secrets.randbelow(9_999_998))  # GB/T 34014: maker, level, chemistry, spec, trace, date, serial
    record(maker, pack, "PRODUCED", {"ratedEnergyWh": 75000, "massGrams": 452000})
    transfer(maker, oem, pack)
    record(oem, pack, "INSTALLED", {"vin": "LSVAU218XN2183294"})
    record(oem, pack, "RETIRED", {"reason": "capacity fade"})
    transfer(oem, recycler, pack)
    collected = record(recycler, pack, "COLLECTED", {})

    # The evidence bundle, typed: each record's signatures by the parties' keys and the hash chain up to the map's head.
    evidence = api.BatteriesApi(recycler.client).get_battery_evidence(pack)
    keys = {party.key_id: party.key.public_key() for party in (maker, oem, recycler)}
    prev = None
    for item in evidence.records:
        signed = item.entry
        assert signed.record.prev == prev, "chain broken at #%d" % signed.record.seq
        for signature in signed.signatures:
            keys[signature.key_id].verify(base64.urlsafe_b64decode(signature.value + "=="), jcs(signed.record.to_dict()))
        prev = hashlib.sha256(jcs(signed.to_dict())).hexdigest()
    head = next(proof for proof in evidence.map_proofs if proof.key == "head:" + pack)
    assert len(evidence.records) == 6 and head.value["hash"] == prev, "the map's head is not the last record"
    print("evidence bundle %s: %d records signed and chained, %d key events, %d map proofs"
          % (evidence.format, len(evidence.records), len(evidence.key_events), len(evidence.map_proofs)))
    # The passport's tier follows the caller: anonymous, a recycler (legitimate interest), the administrator.
    for tier, reader in (("public", client(host)), ("legitimate-interest", recycler.client), ("authority", admin)):
        passport = api.BatteriesApi(reader).get_passport(pack)
        assert passport.access_tier == tier, "expected the %s passport, got %s" % (tier, passport.access_tier)
        print("passport %s at tier %s: %s" % (passport.battery_identifier, passport.access_tier, require(passport.passport_url)))

    # The log index is durable at once; a checkpoint covers it within about a second.
    log = api.LogApi(client(host))
    checkpoint = log.get_checkpoint()
    for _ in range(100):
        if checkpoint.size > collected.log_index:
            break
        time.sleep(0.1)
        checkpoint = log.get_checkpoint()
    require(checkpoint.note)
    print("checkpoint %s size %d root %s" % (require(checkpoint.origin), checkpoint.size, require(checkpoint.root_hash)))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080", sys.argv[2] if len(sys.argv) > 2 else "change-me")
