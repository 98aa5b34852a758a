package dev.latchkey.engine.ssh.inventory;

import dev.latchkey.engine.ssh.ca.IssuerStore;
import dev.latchkey.engine.ssh.keys.RsaKeySizes;
import dev.latchkey.engine.ssh.keys.SshPublicKey;
import dev.latchkey.engine.ssh.krl.KrlEncoder;
import dev.latchkey.engine.ssh.krl.KrlParser;
import dev.latchkey.engine.storage.DecodedCache;
import dev.latchkey.engine.storage.JsonValues;
import dev.latchkey.engine.storage.Storage;
import dev.latchkey.engine.storage.StoredFields;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the mount's KRL from its revocations and publishes it under {@code krl/current}, so that
 * every node serves the same bytes: one certificates section per issuer that has revoked serials
 * or key IDs (also an issuer deleted since: hosts may still trust it), one for key IDs revoked under
 * any CA, and the revoked keys as explicit keys (which every OpenSSH reads, where SHA-256
 * fingerprints need 7.9).
 *
 * <p>A list is published only when what it revokes changed, and then with the version after the
 * published one, in one atomic update of {@code krl/current}: versions only grow, on every node.
 * Before it is published each list is read back by {@link KrlParser}, which refuses what OpenSSH
 * refuses, and compared with what it was meant to revoke; a list that fails is never served,
 * since {@code sshd} refuses every key while its {@code RevokedKeys} file is unreadable.
 */
public final class KrlPublisher {
    static final String CURRENT = "krl/current";
    static final String COMMENT = "Latchkey";

    /** A published list. {@code nextExpiry} is the first time one of its serials expires, or -1. */
    public record Published(long version, long generatedAt, String digest, long nextExpiry, byte[] krl) {
        public String etag() {
            return "\"" + version + "-" + digest.substring(0, 16) + "\"";
        }

        byte[] encode() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", version);
            m.put("generated_at", generatedAt);
            m.put("digest", digest);
            m.put("next_expiry", nextExpiry);
            m.put("krl", Base64.getEncoder().encodeToString(krl));
            return JsonValues.encode(m);
        }

        static Published decode(byte[] raw) {
            Map<String, Object> m = JsonValues.decode(raw);
            return new Published(StoredFields.number(m, "version", 0), StoredFields.number(m, "generated_at", 0),
                    StoredFields.text(m, "digest"), StoredFields.number(m, "next_expiry", -1),
                    Base64.getDecoder().decode(StoredFields.text(m, "krl")));
        }
    }

    /** What a list revokes, without its version and date. */
    private record Content(KrlEncoder.Krl krl, String digest, long nextExpiry) {
    }

    private final Storage storage;
    private final Revocations revocations;
    private final IssuerStore issuers;
    private final DecodedCache<Published> decoded = new DecodedCache<>(4);

    public KrlPublisher(Storage storage, Revocations revocations, IssuerStore issuers) {
        this.storage = storage;
        this.revocations = revocations;
        this.issuers = issuers;
    }

    /** The published list; publishes the first one (version 1) when there is none yet. */
    public Published current(long now) {
        return storage.get(CURRENT).map(raw -> decoded.decode(CURRENT, raw, Published::decode)).orElseGet(() -> publish(now));
    }

    /**
     * Builds the list from the revocations now and publishes it if it revokes something other than
     * the published one; returns the published list either way.
     */
    public Published publish(long now) {
        Content content = build(now);
        byte[] stored = storage.update(CURRENT, cur -> {
            Published old = cur == null ? null : Published.decode(cur);
            if (old != null && old.digest().equals(content.digest()) && old.nextExpiry() == content.nextExpiry()) {
                return cur;
            }
            long version = old == null ? 1 : old.version() + 1;
            KrlEncoder.Krl k = content.krl();
            byte[] bytes = KrlEncoder.encode(new KrlEncoder.Krl(version, now, k.comment(), k.cas(), k.explicitKeys(), k.sha256s()));
            check(bytes, k);
            return new Published(version, now, content.digest(), content.nextExpiry(), bytes).encode();
        });
        return decoded.decode(CURRENT, stored, Published::decode);
    }

    /**
     * The periodic step: when a revoked certificate has expired since the list was published, its
     * revocation is dropped and a smaller list published.
     */
    public void refreshIfExpired(long now) {
        Published p = current(now);
        if (p.nextExpiry() == -1 || Long.compareUnsigned(now, p.nextExpiry()) < 0) {
            return;
        }
        revocations.dropExpired(now);
        publish(now);
    }

    private Content build(long now) {
        Map<String, String> caKeys = new TreeMap<>(revocations.issuerKeys());
        issuers.snapshot().issuers().values().forEach(i -> caKeys.put(i.id(), i.publicKey()));
        Revocations.Snapshot snap = revocations.snapshot();
        Map<String, List<String>> idsByScope = new TreeMap<>();
        for (Revocations.RevokedKeyId r : snap.keyIds()) {
            idsByScope.computeIfAbsent(r.scope(), k -> new ArrayList<>()).add(r.keyId());
        }
        long nextExpiry = -1;
        List<KrlEncoder.CaRevocations> cas = new ArrayList<>();
        for (Map.Entry<String, String> ca : caKeys.entrySet()) {
            List<Revocations.RevokedSerial> serials = revocations.serials(ca.getKey());
            long[] live = new long[serials.size()];
            int n = 0;
            for (Revocations.RevokedSerial s : serials) {
                if (s.expiredAt(now)) {
                    continue;
                }
                live[n++] = s.serial();
                if (s.expiresAt() != Revocations.NO_EXPIRY
                        && (nextExpiry == -1 || Long.compareUnsigned(s.expiresAt(), nextExpiry) < 0)) {
                    nextExpiry = s.expiresAt();
                }
            }
            List<String> ids = idsByScope.getOrDefault(ca.getKey(), List.of());
            if (n > 0 || !ids.isEmpty()) {
                cas.add(new KrlEncoder.CaRevocations(SshPublicKey.parse(ca.getValue()).wire(), Arrays.copyOf(live, n), ids));
            }
        }
        List<String> anyCa = idsByScope.getOrDefault(Revocations.ANY_CA, List.of());
        if (!anyCa.isEmpty()) {
            cas.add(new KrlEncoder.CaRevocations(new byte[0], new long[0], anyCa));
        }
        List<byte[]> keys = snap.keys().stream().map(Revocations.RevokedKey::blob).toList();
        KrlEncoder.Krl krl = new KrlEncoder.Krl(0, 0, COMMENT, cas, keys, List.of());
        return new Content(krl, Revocations.sha256Hex(KrlEncoder.encode(krl)), nextExpiry);
    }

    /** Reads the list back and checks that it revokes exactly what it was meant to. */
    static void check(byte[] bytes, KrlEncoder.Krl meant) {
        KrlParser.Parsed parsed;
        try {
            parsed = KrlParser.parse(bytes);
        } catch (KrlParser.InvalidKrlException e) {
            throw new IllegalStateException("the revocation list built is invalid, not publishing it: " + e.getMessage(), e);
        }
        if (parsed.cas().size() != meant.cas().size()) {
            throw new IllegalStateException("the revocation list built has " + parsed.cas().size() + " CA sections, not "
                    + meant.cas().size());
        }
        for (int i = 0; i < meant.cas().size(); i++) {
            KrlEncoder.CaRevocations m = meant.cas().get(i);
            KrlParser.Ca p = parsed.cas().get(i);
            boolean same = Arrays.equals(m.caKey(), p.caKey())
                    && KrlEncoder.coalesce(p.serials()).equals(m.serials().length == 0 ? List.of() : KrlEncoder.ranges(m.serials()))
                    && new HashSet<>(p.keyIds()).equals(new HashSet<>(m.keyIds()));
            if (!same) {
                throw new IllegalStateException("the revocation list built does not revoke what it should for CA section " + i);
            }
        }
        Set<String> meantKeys = new HashSet<>();
        meant.explicitKeys().forEach(b -> meantKeys.add(Base64.getEncoder().encodeToString(b)));
        Set<String> parsedKeys = new HashSet<>();
        parsed.explicitKeys().forEach(b -> parsedKeys.add(Base64.getEncoder().encodeToString(b)));
        if (!meantKeys.equals(parsedKeys)) {
            throw new IllegalStateException("the revocation list built does not revoke the keys it should");
        }
    }

    /** The list as {@code ssh-keygen -k} specification text, for people to read. */
    public String text(Published p) {
        KrlParser.Parsed parsed;
        try {
            parsed = KrlParser.parse(p.krl());
        } catch (KrlParser.InvalidKrlException e) {
            throw new IllegalStateException("the published revocation list is invalid: " + e.getMessage(), e);
        }
        StringBuilder out = new StringBuilder();
        out.append("# KRL version ").append(p.version()).append('\n');
        out.append("# Generated at ").append(Instant.ofEpochSecond(p.generatedAt())).append('\n');
        out.append("# Comment: ").append(parsed.comment()).append('\n');
        for (byte[] key : parsed.explicitKeys()) {
            SshPublicKey k = SshPublicKey.fromWire(key, RsaKeySizes.CEILING_BITS);
            out.append('\n').append("key: ").append(k.toLine()).append('\n');
        }
        for (KrlParser.Ca ca : parsed.cas()) {
            out.append('\n');
            if (ca.caKey().length == 0) {
                out.append("# Wildcard CA: key IDs of certificates from any CA\n");
            } else {
                SshPublicKey k = SshPublicKey.fromWire(ca.caKey(), RsaKeySizes.CEILING_BITS);
                out.append("# CA key ").append(k.type()).append(' ').append(k.sha256Fingerprint()).append('\n');
                out.append("# ssh-keygen -k -s <this CA's public key file> reads the lines below\n");
            }
            for (KrlEncoder.Range r : KrlEncoder.coalesce(ca.serials())) {
                out.append("serial: ").append(Long.toUnsignedString(r.first()));
                if (r.first() != r.last()) {
                    out.append('-').append(Long.toUnsignedString(r.last()));
                }
                out.append('\n');
            }
            ca.keyIds().stream().sorted().forEach(id -> out.append("id: ").append(id).append('\n'));
        }
        return out.toString();
    }
}
