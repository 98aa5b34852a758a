package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.FieldType;
import dev.latchkey.engine.framework.Fields;
import dev.latchkey.engine.framework.Operation;
import dev.latchkey.engine.framework.PathSpec;
import dev.latchkey.engine.framework.Request;
import dev.latchkey.engine.framework.Response;
import dev.latchkey.engine.ssh.ca.IssuerStore;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.engine.ssh.keys.SshKeyException;
import dev.latchkey.engine.ssh.keys.SshPublicKey;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * {@code revoke}: revokes certificates by serial (under the issuer that signed them), every
 * certificate with a key ID (under one issuer, or from any CA), or a public key however it is
 * presented; then publishes the mount's KRL, so that the answer names the first KRL version that
 * carries the revocation. A revocation stays until the certificate would have expired (a key ID
 * or key: until it is deleted), whatever happens to the inventory's record.
 */
public final class RevokePath {
    static final int MAX_REASON = 255;

    private final Inventory inventory;
    private final Revocations revocations;
    private final IssuerStore issuers;
    private final KrlPublisher krl;
    private final LongSupplier clockMillis;

    public RevokePath(Inventory inventory, Revocations revocations, IssuerStore issuers, KrlPublisher krl,
                      LongSupplier clockMillis) {
        this.inventory = inventory;
        this.revocations = revocations;
        this.issuers = issuers;
        this.krl = krl;
        this.clockMillis = clockMillis;
    }

    public List<PathSpec> specs() {
        return List.of(PathSpec.path("revoke")
                .field("serial_number", FieldType.STRING).field("issuer_ref", FieldType.STRING)
                .field("key_id", FieldType.STRING).field("public_key", FieldType.STRING)
                .field("reason", FieldType.STRING)
                .on(Operation.UPDATE, this::revoke));
    }

    private Response revoke(Request request, Fields f) {
        String serialText = f.string("serial_number").strip();
        String keyId = f.string("key_id");
        String publicKey = f.string("public_key").strip();
        int given = (serialText.isEmpty() ? 0 : 1) + (keyId.isEmpty() ? 0 : 1) + (publicKey.isEmpty() ? 0 : 1);
        if (given != 1) {
            throw EngineException.user("exactly one of serial_number, key_id or public_key must be given");
        }
        String reason = f.string("reason");
        if (reason.codePointCount(0, reason.length()) > MAX_REASON) {
            throw EngineException.user("reason is longer than " + MAX_REASON + " characters");
        }
        long now = clockMillis.getAsLong() / 1000;
        Map<String, Object> data = new LinkedHashMap<>();
        if (!serialText.isEmpty()) {
            bySerial(Serials.parse(serialText), f, reason, now, data);
        } else if (!keyId.isEmpty()) {
            String scope = Revocations.ANY_CA;
            if (f.has("issuer_ref") && !f.string("issuer_ref").isBlank()) {
                scope = issuers.snapshot().resolve(IssuerStore.normalise(f.string("issuer_ref"))).id();
            }
            revocations.revokeKeyId(scope, keyId, reason, now);
            data.put("key_id", keyId);
            data.put("issuer_id", scope.equals(Revocations.ANY_CA) ? "" : scope);
        } else {
            SshPublicKey key = parseKey(publicKey);
            revocations.revokeKey(key.wire(), key.toLine(), key.sha256Fingerprint(), reason, now);
            data.put("key_fingerprint", key.sha256Fingerprint());
        }
        data.put("revocation_time", CertRecord.rfc3339(now));
        data.put("krl_version", krl.publish(now).version());
        return Response.of(data);
    }

    private void bySerial(long serial, Fields f, String reason, long now, Map<String, Object> data) {
        if (serial == 0) {
            throw EngineException.user("serial 0 cannot be revoked by serial: revoke the certificate's key_id or public_key");
        }
        Optional<CertRecord> record = inventory.get(serial);
        IssuerStore.Snapshot known = issuers.snapshot();
        String issuerId;
        if (record.isPresent()) {
            issuerId = record.get().issuerId();
            if (f.has("issuer_ref") && !f.string("issuer_ref").isBlank()) {
                String asked = known.resolve(IssuerStore.normalise(f.string("issuer_ref"))).id();
                if (!asked.equals(issuerId)) {
                    throw EngineException.user("certificate " + Serials.vault(serial) + " was issued by issuer " + issuerId
                            + ", not " + asked);
                }
            }
        } else {
            // not in the inventory (recorded elsewhere, tidied, or issued with the inventory off):
            // revoked under the issuer the caller names, the default when none
            issuerId = known.resolve(IssuerStore.normalise(f.string("issuer_ref", "default"))).id();
        }
        String caKey = Optional.ofNullable(known.issuers().get(issuerId)).map(IssuerStore.Issuer::publicKey)
                .or(() -> Optional.ofNullable(revocations.issuerKeys().get(issuerId)))
                .orElseThrow(() -> EngineException.user("issuer " + issuerId + " of certificate " + Serials.vault(serial)
                        + " no longer exists: its certificates are no longer trusted by hosts that refreshed their CA keys"));
        long expires = record.map(CertRecord::validBefore).orElse(Revocations.NO_EXPIRY);
        revocations.revokeSerial(issuerId, caKey, serial, expires, record.map(CertRecord::keyId).orElse(""), reason, now);
        record.ifPresent(r -> inventory.update(serial, cur -> cur.revokedAt() != 0 ? cur : cur.revoked(now, reason)));
        data.put("serial_number", Serials.vault(serial));
        data.put("issuer_id", issuerId);
        data.put("recorded", record.isPresent());
    }

    /** A public key line, or a certificate line whose certified key is meant. */
    private static SshPublicKey parseKey(String text) {
        try {
            return SshPublicKey.parse(text, RsaKeySizes.CEILING_BITS);
        } catch (SshKeyException | IllegalArgumentException notAKey) {
            try {
                return SshCertificate.parse(text).key();
            } catch (RuntimeException notACertificate) {
                throw EngineException.user("failed to parse public_key as an SSH public key or certificate: "
                        + notAKey.getMessage());
            }
        }
    }
}
