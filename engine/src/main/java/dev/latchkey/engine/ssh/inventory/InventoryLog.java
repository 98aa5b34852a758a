package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.ssh.ca.CertificateLog;
import dev.latchkey.engine.ssh.keys.SshCertificate;
import dev.latchkey.engine.ssh.keys.SshPublicKey;

import java.util.function.LongSupplier;

/** The mount's inventory and revocations as {@code sign} and {@code issue} see them. */
public final class InventoryLog implements CertificateLog {
    private final Inventory inventory;
    private final Revocations revocations;
    private final LongSupplier clockMillis;

    public InventoryLog(Inventory inventory, Revocations revocations, LongSupplier clockMillis) {
        this.inventory = inventory;
        this.revocations = revocations;
        this.clockMillis = clockMillis;
    }

    @Override
    public void checkSubject(SshPublicKey subject) {
        if (revocations.keyRevoked(subject.wire())) {
            throw EngineException.user("public key " + subject.sha256Fingerprint() + " is revoked and cannot be signed");
        }
    }

    @Override
    public boolean issued(Issued issued) {
        if (!inventory.settings().storeCertificates()) {
            return true;
        }
        SshCertificate c = issued.certificate();
        SshPublicKey key = c.key();
        CertRecord record = new CertRecord(c.serial(), c.keyId(), issued.issuerId(), issued.role(), c.certType().label(),
                c.principals(), c.criticalOptions(), c.extensions(), c.validAfter(), c.validBefore(), key.type(),
                key.sha256Fingerprint(), c.toLine(), issued.caller().accessor(), issued.caller().displayName(),
                issued.clientAddress() == null ? "" : issued.clientAddress(), clockMillis.getAsLong() / 1000,
                issued.description(), issued.metadata(), 0, "");
        return inventory.record(record);
    }
}
