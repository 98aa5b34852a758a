package dev.latchkey.engine.ssh;

import dev.latchkey.engine.framework.LogicalBackend;
import dev.latchkey.engine.ssh.ca.CertificateLog;
import dev.latchkey.engine.ssh.ca.ConfigCaPath;
import dev.latchkey.engine.ssh.ca.IssuePath;
import dev.latchkey.engine.ssh.ca.IssuerStore;
import dev.latchkey.engine.ssh.ca.IssuersPath;
import dev.latchkey.engine.ssh.ca.OpenSshConfigPath;
import dev.latchkey.engine.ssh.ca.PublicKeyPath;
import dev.latchkey.engine.ssh.ca.SignPath;
import dev.latchkey.engine.ssh.dynamic.AdminKeyStore;
import dev.latchkey.engine.ssh.dynamic.DynamicCredentials;
import dev.latchkey.engine.ssh.dynamic.KeysPath;
import dev.latchkey.engine.ssh.dynamic.KnownHostStore;
import dev.latchkey.engine.ssh.dynamic.KnownHostsPath;
import dev.latchkey.engine.ssh.dynamic.TargetHosts;
import dev.latchkey.engine.ssh.event.SshEvents;
import dev.latchkey.engine.ssh.inventory.CertsPath;
import dev.latchkey.engine.ssh.inventory.Inventory;
import dev.latchkey.engine.ssh.inventory.InventoryLog;
import dev.latchkey.engine.ssh.inventory.KrlPath;
import dev.latchkey.engine.ssh.inventory.KrlPublisher;
import dev.latchkey.engine.ssh.inventory.Revocations;
import dev.latchkey.engine.ssh.inventory.RevokePath;
import dev.latchkey.engine.ssh.inventory.Upkeep;
import dev.latchkey.engine.ssh.otp.OtpCredentials;
import dev.latchkey.engine.ssh.otp.OtpStore;
import dev.latchkey.engine.ssh.otp.VerifyPath;
import dev.latchkey.engine.ssh.role.RoleStore;
import dev.latchkey.engine.storage.Storage;

import java.util.function.LongSupplier;

/**
 * The SSH secrets engine mounted at one path, over that mount's private storage: the paths and
 * secret types of all three key types. This package holds what the key types share (roles,
 * {@code creds}, {@code lookup}, the zero-address list); {@code otp}, {@code dynamic} and
 * {@code ca} hold what is theirs alone, and {@code role} the stored role they all read.
 */
public final class SshBackend extends LogicalBackend {
    public static final String TYPE = "ssh";

    private final Upkeep upkeep;

    /**
     * @param storage     this mount's private storage
     * @param clockMillis the time
     * @param targetHosts the SSH transport dynamic roles use to reach their hosts
     */
    public SshBackend(Storage storage, LongSupplier clockMillis, TargetHosts targetHosts) {
        this(storage, clockMillis, targetHosts, SshEvents.NONE);
    }

    /** @param events where the engine reports what it issued, verified and installed */
    public SshBackend(Storage storage, LongSupplier clockMillis, TargetHosts targetHosts, SshEvents events) {
        RoleStore roles = new RoleStore(storage);
        IssuerStore issuers = new IssuerStore(storage);
        AdminKeyStore adminKeys = new AdminKeyStore(storage);
        ZeroAddressStore zeroAddress = new ZeroAddressStore(storage);
        OtpStore otpStore = new OtpStore(storage, clockMillis);
        KnownHostStore knownHosts = new KnownHostStore(storage, clockMillis);
        Inventory inventory = new Inventory(storage);
        Revocations revocations = new Revocations(storage);
        KrlPublisher krl = new KrlPublisher(storage, revocations, issuers);
        CertificateLog certificateLog = new InventoryLog(inventory, revocations, clockMillis);
        this.upkeep = new Upkeep(inventory, krl, clockMillis);
        OtpCredentials otps = new OtpCredentials(otpStore, events);
        DynamicCredentials dynamicKeys = new DynamicCredentials(adminKeys, knownHosts, targetHosts, events);
        register(otps.secretType());
        register(dynamicKeys.secretType());
        new RolesPath(roles, zeroAddress, adminKeys, issuers).specs().forEach(this::register);
        register(new ZeroAddressPath(roles, zeroAddress).spec());
        new CredsPath(roles, zeroAddress, otps, dynamicKeys).specs().forEach(this::register);
        register(new LookupPath(roles, zeroAddress).spec());
        register(new VerifyPath(otpStore, events).spec());
        register(new ConfigCaPath(issuers).spec());
        register(new PublicKeyPath(issuers).spec());
        register(new OpenSshConfigPath(issuers, roles).spec());
        new IssuersPath(issuers, roles).specs().forEach(this::register);
        new SignPath(roles, issuers, clockMillis, events, certificateLog).specs().forEach(this::register);
        new IssuePath(roles, issuers, clockMillis, events, certificateLog).specs().forEach(this::register);
        new CertsPath(inventory, revocations, issuers, clockMillis).specs().forEach(this::register);
        new RevokePath(inventory, revocations, issuers, krl, clockMillis).specs().forEach(this::register);
        new KrlPath(krl, clockMillis).specs().forEach(this::register);
        new KeysPath(adminKeys).specs().forEach(this::register);
        new KnownHostsPath(knownHosts).specs().forEach(this::register);
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Drops revocations of expired certificates from the KRL, and tidies the inventory when due. */
    @Override
    public void periodic() {
        upkeep.run();
    }
}
