package dev.latchkey.engine.ssh.krl;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a KRL back with the rules OpenSSH applies, so that a list is checked before any host is
 * given it: an invalid KRL makes {@code sshd} refuse every key. Refused here as there: a wrong
 * magic or format version, a truncated or over-long field, bytes left inside a section, a section
 * or subsection type this encoder never writes (signature and extension sections among them,
 * which OpenSSH before 9.4 rejects), serial 0, a range whose minimum exceeds its maximum, a bitmap
 * wider than 16,384 bits or wrapping past 2^64−1, and a fingerprint that is not 32 bytes.
 */
public final class KrlParser {
    /** A KRL's content: per CA its serial ranges and key IDs, then explicit keys and SHA-256 fingerprints. */
    public record Parsed(long version, long generatedAt, String comment, List<Ca> cas, List<byte[]> explicitKeys,
                         List<byte[]> sha256s) {
    }

    /** One certificates section. */
    public record Ca(byte[] caKey, List<KrlEncoder.Range> serials, List<String> keyIds) {
        /** Whether the serial (unsigned) is revoked by this section. */
        public boolean revokes(long serial) {
            for (KrlEncoder.Range r : serials) {
                if (Long.compareUnsigned(serial, r.first()) >= 0 && Long.compareUnsigned(serial, r.last()) <= 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Why a KRL is invalid. */
    public static final class InvalidKrlException extends Exception {
        InvalidKrlException(String message) {
            super(message);
        }
    }

    private KrlParser() {
    }

    public static Parsed parse(byte[] krl) throws InvalidKrlException {
        ByteBuffer in = ByteBuffer.wrap(krl);
        if (krl.length < KrlEncoder.MAGIC.length
                || !Arrays.equals(Arrays.copyOf(krl, KrlEncoder.MAGIC.length), KrlEncoder.MAGIC)) {
            throw new InvalidKrlException("invalid magic number");
        }
        in.position(KrlEncoder.MAGIC.length);
        if (u32(in) != 1) {
            throw new InvalidKrlException("invalid format version");
        }
        long version = u64(in);
        long generated = u64(in);
        u64(in); // flags
        string(in); // reserved
        String comment = new String(string(in), StandardCharsets.UTF_8);
        List<Ca> cas = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        while (in.hasRemaining()) {
            int type = in.get() & 0xFF;
            ByteBuffer section = ByteBuffer.wrap(string(in));
            switch (type) {
                case KrlEncoder.SECTION_CERTIFICATES -> cas.add(certificates(section));
                case KrlEncoder.SECTION_EXPLICIT_KEY -> {
                    while (section.hasRemaining()) {
                        keys.add(string(section));
                    }
                }
                case KrlEncoder.SECTION_FINGERPRINT_SHA256 -> {
                    while (section.hasRemaining()) {
                        byte[] h = string(section);
                        if (h.length != 32) {
                            throw new InvalidKrlException("a SHA-256 fingerprint of " + h.length + " bytes");
                        }
                        hashes.add(h);
                    }
                }
                default -> throw new InvalidKrlException("unsupported KRL section " + type);
            }
        }
        return new Parsed(version, generated, comment, cas, keys, hashes);
    }

    private static Ca certificates(ByteBuffer section) throws InvalidKrlException {
        byte[] caKey = string(section);
        string(section); // reserved
        List<KrlEncoder.Range> serials = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        while (section.hasRemaining()) {
            int type = section.get() & 0xFF;
            ByteBuffer sub = ByteBuffer.wrap(string(section));
            switch (type) {
                case KrlEncoder.SERIAL_LIST -> {
                    while (sub.hasRemaining()) {
                        long s = u64(sub);
                        serials.add(new KrlEncoder.Range(nonZero(s), s));
                    }
                }
                case KrlEncoder.SERIAL_RANGE -> {
                    long min = nonZero(u64(sub));
                    long max = u64(sub);
                    if (Long.compareUnsigned(min, max) > 0) {
                        throw new InvalidKrlException("a serial range whose minimum exceeds its maximum");
                    }
                    serials.add(new KrlEncoder.Range(min, max));
                }
                case KrlEncoder.SERIAL_BITMAP -> bitmap(sub, serials);
                case KrlEncoder.KEY_ID -> {
                    while (sub.hasRemaining()) {
                        ids.add(new String(string(sub), StandardCharsets.UTF_8));
                    }
                }
                default -> throw new InvalidKrlException("unsupported KRL certificate section " + type);
            }
            if (sub.hasRemaining()) {
                throw new InvalidKrlException("bytes left in a certificate subsection");
            }
        }
        return new Ca(caKey, serials, ids);
    }

    private static void bitmap(ByteBuffer sub, List<KrlEncoder.Range> serials) throws InvalidKrlException {
        long offset = u64(sub);
        byte[] mpint = string(sub);
        if (mpint.length > KrlEncoder.MAX_BITMAP_BITS / 8 + 1 || (mpint.length > 0 && mpint[0] < 0)) {
            throw new InvalidKrlException("bignum is too large, or negative");
        }
        if (new BigInteger(1, mpint).bitLength() > KrlEncoder.MAX_BITMAP_BITS) {
            throw new InvalidKrlException("bignum is too large");
        }
        for (int k = 0; k < mpint.length; k++) {
            int b = mpint[mpint.length - 1 - k] & 0xFF; // bit 0 is the last byte's lowest
            for (int j = 0; j < 8; j++) {
                if ((b & (1 << j)) == 0) {
                    continue;
                }
                long serial = offset + 8L * k + j;
                if (serial == 0 || Long.compareUnsigned(serial, offset) < 0) {
                    throw new InvalidKrlException("a bitmap revoking serial 0 or wrapping past 2^64-1");
                }
                serials.add(new KrlEncoder.Range(serial, serial));
            }
        }
    }

    private static long nonZero(long serial) throws InvalidKrlException {
        if (serial == 0) {
            throw new InvalidKrlException("serial 0");
        }
        return serial;
    }

    private static long u32(ByteBuffer in) throws InvalidKrlException {
        need(in, 4);
        return in.getInt() & 0xFFFF_FFFFL;
    }

    private static long u64(ByteBuffer in) throws InvalidKrlException {
        need(in, 8);
        return in.getLong();
    }

    private static byte[] string(ByteBuffer in) throws InvalidKrlException {
        long length = u32(in);
        if (length > in.remaining()) {
            throw new InvalidKrlException("a field longer than what is left");
        }
        byte[] out = new byte[(int) length];
        in.get(out);
        return out;
    }

    private static void need(ByteBuffer in, int bytes) throws InvalidKrlException {
        if (in.remaining() < bytes) {
            throw new InvalidKrlException("truncated");
        }
    }
}
