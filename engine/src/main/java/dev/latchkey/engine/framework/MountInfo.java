package dev.latchkey.engine.framework;

/**
 * The mount a request arrived through, with its lease TTLs already resolved against the system
 * defaults (so both are always positive).
 *
 * @param path            mount path with its trailing slash, e.g. {@code "ssh/"}
 * @param uuid            the mount's stable identity (storage lives under it)
 * @param accessor        e.g. {@code "ssh_1a2b3c4d"}
 * @param defaultLeaseTtl effective default lease TTL in seconds
 * @param maxLeaseTtl     effective maximum lease TTL in seconds
 */
public record MountInfo(String path, String uuid, String accessor, long defaultLeaseTtl, long maxLeaseTtl) {
}
