package dev.latchkey.api.config;

/** Server-wide lease TTLs, as Vault's: 768 h default and maximum unless configured otherwise. */
public record SystemDefaults(long defaultLeaseTtl, long maxLeaseTtl) {
    public static final SystemDefaults VAULT = new SystemDefaults(768 * 3600L, 768 * 3600L);
}
