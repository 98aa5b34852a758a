package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.ssh.ca.CaKeyStore;
import dev.latchkey.engine.ssh.ca.ConfigCaPath;
import dev.latchkey.engine.ssh.ca.IssuePath;
import dev.latchkey.engine.ssh.ca.PublicKeyPath;
import dev.latchkey.engine.ssh.ca.SignPath;
import dev.latchkey.engine.ssh.dynamic.AdminKeyStore;
import dev.latchkey.engine.ssh.dynamic.DynamicCredentials;
import dev.latchkey.engine.ssh.dynamic.KeysPath;
import dev.latchkey.engine.ssh.dynamic.KnownHostStore;
import dev.latchkey.engine.ssh.dynamic.KnownHostsPath;
import dev.latchkey.engine.ssh.dynamic.TargetHosts;
import dev.latchkey.engine.storage.Storage;

import java.util.function.LongSupplier;

/** The SSH secrets engine mounted at one path, over that mount's private storage. */
public final class SshBackend extends LogicalBackend {
    public static final String TYPE = "ssh";

    private final OtpStore otps;
    private final DynamicCredentials dynamicKeys;

    /**
     * @param storage     this mount's private storage
     * @param clockMillis the time
     * @param targetHosts the SSH transport dynamic roles use to reach their hosts
     */
    public SshBackend(Storage storage, LongSupplier clockMillis, TargetHosts targetHosts) {
        RoleStore roles = new RoleStore(storage);
        CaKeyStore caKeys = new CaKeyStore(storage);
        AdminKeyStore adminKeys = new AdminKeyStore(storage);
        ZeroAddressStore zeroAddress = new ZeroAddressStore(storage);
        this.otps = new OtpStore(storage);
        KnownHostStore knownHosts = new KnownHostStore(storage, clockMillis);
        this.dynamicKeys = new DynamicCredentials(adminKeys, knownHosts, targetHosts);
        new RolesPath(roles, zeroAddress, adminKeys).specs().forEach(this::register);
        register(new ZeroAddressPath(roles, zeroAddress).spec());
        new CredsPath(roles, zeroAddress, otps, dynamicKeys).specs().forEach(this::register);
        register(new LookupPath(roles, zeroAddress).spec());
        register(new VerifyPath(otps).spec());
        register(new ConfigCaPath(caKeys).spec());
        register(new PublicKeyPath(caKeys).spec());
        new SignPath(roles, caKeys, clockMillis).specs().forEach(this::register);
        new IssuePath(roles, caKeys, clockMillis).specs().forEach(this::register);
        new KeysPath(adminKeys).specs().forEach(this::register);
        new KnownHostsPath(knownHosts).specs().forEach(this::register);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean revokesOverNetwork(Lease lease) {
        return DynamicCredentials.SECRET_TYPE.equals(lease.secretType());
    }

    @Override
    public void revoke(Lease lease) {
        if (CredsPath.SECRET_OTP.equals(lease.secretType())) {
            Object hash = lease.internalData().get(CredsPath.OTP_HASH);
            if (!(hash instanceof String h) || h.isEmpty()) {
                throw EngineException.user("secret is missing internal data");
            }
            otps.deleteByHash(h);
            return;
        }
        if (DynamicCredentials.SECRET_TYPE.equals(lease.secretType())) {
            dynamicKeys.revoke(lease);
            return;
        }
        throw EngineException.user("secret is unsupported by this backend");
    }
}
