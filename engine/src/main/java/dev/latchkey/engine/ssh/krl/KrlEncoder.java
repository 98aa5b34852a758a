package dev.latchkey.engine.ssh.krl;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes an OpenSSH key revocation list (the {@code SSHKRL} binary format that {@code sshd}'s
 * {@code RevokedKeys} and {@code ssh}'s {@code RevokedHostKeys} read). No Java library writes
 * one, so this does, and only what every OpenSSH since 7.9 reads: certificate sections (serial
 * lists, ranges, bitmaps, key IDs), explicit keys and SHA-256 fingerprints; never a signature or
 * an extension, which OpenSSH before 9.4 refuses, and never serial 0 or a bitmap wider than the
 * 16,384 bits OpenSSH can read back, either of which would make {@code sshd} refuse every key.
 *
 * <p>Serials are unsigned 64-bit values held in {@code long}s. For each CA they are merged into
 * ranges, and each stretch of nearby ranges is written the cheapest way: a bitmap when it is
 * denser than its ranges and single serials written out, otherwise ranges (two or more serials)
 * and a list (single ones). This gives what {@code ssh-keygen -k} gives for the usual sets.
 */
public final class KrlEncoder {
    static final byte[] MAGIC = {'S', 'S', 'H', 'K', 'R', 'L', '\n', 0};
    private static final int FORMAT_VERSION = 1;
    static final int SECTION_CERTIFICATES = 0x01;
    static final int SECTION_EXPLICIT_KEY = 0x02;
    static final int SECTION_FINGERPRINT_SHA256 = 0x05;
    static final int SERIAL_LIST = 0x20;
    static final int SERIAL_RANGE = 0x21;
    static final int SERIAL_BITMAP = 0x22;
    static final int KEY_ID = 0x23;
    /** The widest bitmap OpenSSH reads back: a 2,048-byte mpint. */
    static final int MAX_BITMAP_BITS = 16_384;

    /** What one CA's certificates are revoked by. {@code caKey} is the CA's public key blob. */
    public record CaRevocations(byte[] caKey, long[] serials, List<String> keyIds) {
    }

    /**
     * A whole list.
     *
     * @param version       the KRL's version; it should grow with every list published
     * @param generatedAt   seconds since the epoch
     * @param explicitKeys  plain public key blobs revoked however they are presented
     * @param sha256s       SHA-256 digests (32 bytes) of plain public key blobs
     */
    public record Krl(long version, long generatedAt, String comment, List<CaRevocations> cas,
                      List<byte[]> explicitKeys, List<byte[]> sha256s) {
    }

    private KrlEncoder() {
    }

    public static byte[] encode(Krl krl) {
        Out out = new Out();
        out.raw(MAGIC);
        out.u32(FORMAT_VERSION);
        out.u64(krl.version());
        out.u64(krl.generatedAt());
        out.u64(0); // flags
        out.string(new byte[0]); // reserved
        out.string(krl.comment().getBytes(StandardCharsets.UTF_8));
        for (CaRevocations ca : krl.cas()) {
            Out section = new Out();
            section.string(ca.caKey());
            section.string(new byte[0]); // reserved
            serials(section, ca.serials());
            List<byte[]> ids = new ArrayList<>();
            for (String id : new TreeSet<>(ca.keyIds())) {
                ids.add(id.getBytes(StandardCharsets.UTF_8));
            }
            if (!ids.isEmpty()) {
                Out sub = new Out();
                ids.stream().sorted(Arrays::compareUnsigned).forEach(sub::string);
                section.subsection(KEY_ID, sub);
            }
            out.section(SECTION_CERTIFICATES, section);
        }
        if (!krl.explicitKeys().isEmpty()) {
            Out section = new Out();
            krl.explicitKeys().stream().sorted(Arrays::compareUnsigned).distinct().forEach(section::string);
            out.section(SECTION_EXPLICIT_KEY, section);
        }
        if (!krl.sha256s().isEmpty()) {
            Out section = new Out();
            for (byte[] h : krl.sha256s()) {
                if (h.length != 32) {
                    throw new IllegalArgumentException("a SHA-256 fingerprint is 32 bytes, not " + h.length);
                }
            }
            krl.sha256s().stream().sorted(Arrays::compareUnsigned).forEach(section::string);
            out.section(SECTION_FINGERPRINT_SHA256, section);
        }
        return out.bytes();
    }

    /** An inclusive run of serials, unsigned. */
    public record Range(long first, long last) {
        long count() {
            return last - first + 1; // may wrap only for the full 2^64 range, which no list holds
        }
    }

    /** The serials as sorted, coalesced ranges; serial 0 is refused (OpenSSH would reject the file). */
    public static List<Range> ranges(long[] serials) {
        long[] s = serials.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] ^= Long.MIN_VALUE; // unsigned order as signed order
        }
        Arrays.sort(s);
        List<Range> out = new ArrayList<>();
        for (long flipped : s) {
            long v = flipped ^ Long.MIN_VALUE;
            if (v == 0) {
                throw new IllegalArgumentException("serial 0 cannot be revoked by serial");
            }
            if (!out.isEmpty()) {
                Range last = out.get(out.size() - 1);
                if (v == last.last() || (last.last() != -1L && v == last.last() + 1)) {
                    out.set(out.size() - 1, new Range(last.first(), v));
                    continue;
                }
            }
            out.add(new Range(v, v));
        }
        return out;
    }

    /**
     * Ranges as sorted, coalesced ranges (adjacent or overlapping ones joined): the form in which
     * two lists that revoke the same serials are equal, however their sections split them.
     */
    public static List<Range> coalesce(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort((a, b) -> Long.compareUnsigned(a.first(), b.first()));
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (!out.isEmpty()) {
                Range last = out.get(out.size() - 1);
                boolean touches = Long.compareUnsigned(r.first(), last.last()) <= 0
                        || (last.last() != -1L && r.first() == last.last() + 1);
                if (touches) {
                    if (Long.compareUnsigned(r.last(), last.last()) > 0) {
                        out.set(out.size() - 1, new Range(last.first(), r.last()));
                    }
                    continue;
                }
            }
            out.add(r);
        }
        return out;
    }

    private static void serials(Out section, long[] serials) {
        List<Range> rs = ranges(serials);
        List<Long> list = new ArrayList<>();
        int i = 0;
        while (i < rs.size()) {
            // the longest stretch from i that fits one bitmap and is cheaper as one
            int best = -1;
            long singles = 0;
            long ranged = 0;
            for (int j = i; j < rs.size(); j++) {
                long span = rs.get(j).last() - rs.get(i).first() + 1;
                if (Long.compareUnsigned(span, MAX_BITMAP_BITS) > 0 || span <= 0) {
                    break;
                }
                // the stretch's cost as lists and ranges, kept as it grows (plainCost, without its loop)
                if (Long.compareUnsigned(rs.get(j).count(), 2) <= 0) {
                    singles += rs.get(j).count();
                } else {
                    ranged += 1 + 4 + 16;
                }
                long plain = ranged + (singles == 0 ? 0 : 1 + 4 + 8 * singles);
                if (1 + 4 + 8 + 4 + span / 8 + 2 < plain) {
                    best = j;
                }
            }
            if (best >= i) {
                bitmap(section, rs.subList(i, best + 1));
                i = best + 1;
                continue;
            }
            Range r = rs.get(i);
            if (Long.compareUnsigned(r.count(), 2) <= 0) {
                list.add(r.first());
                if (r.count() == 2) {
                    list.add(r.last());
                }
            } else {
                Out sub = new Out();
                sub.u64(r.first());
                sub.u64(r.last());
                section.subsection(SERIAL_RANGE, sub);
            }
            i++;
        }
        if (!list.isEmpty()) {
            Out sub = new Out();
            list.forEach(sub::u64);
            section.subsection(SERIAL_LIST, sub);
        }
    }

    private static void bitmap(Out section, List<Range> rs) {
        long offset = rs.get(0).first();
        BigInteger bits = BigInteger.ZERO;
        for (Range r : rs) {
            for (long s = r.first(); ; s++) {
                bits = bits.setBit((int) (s - offset));
                if (s == r.last()) {
                    break;
                }
            }
        }
        Out sub = new Out();
        sub.u64(offset);
        sub.string(bits.toByteArray()); // non-negative: the mpint body, a leading zero only when needed
        section.subsection(SERIAL_BITMAP, sub);
    }

    /** SSH wire writing. */
    private static final class Out {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        void raw(byte[] b) {
            buf.writeBytes(b);
        }

        void u32(long v) {
            buf.write((int) (v >>> 24));
            buf.write((int) (v >>> 16));
            buf.write((int) (v >>> 8));
            buf.write((int) v);
        }

        void u64(long v) {
            u32(v >>> 32);
            u32(v);
        }

        void string(byte[] b) {
            u32(b.length);
            raw(b);
        }

        void subsection(int type, Out data) {
            buf.write(type);
            string(data.bytes());
        }

        void section(int type, Out data) {
            subsection(type, data);
        }

        byte[] bytes() {
            return buf.toByteArray();
        }
    }
}
