package dev.latchkey.engine.ssh.keys;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The SSH wire encoding of RFC 4251 §5: big-endian integers, length-prefixed strings and
 * two's complement mpints. Reading never trusts a length field beyond the bytes actually left,
 * so a hostile blob fails with {@link SshKeyException} instead of exhausting memory.
 */
public final class SshWire {
    private SshWire() {
    }

    /** A reader over {@code data}, which is not copied and must not change while read. */
    public static Reader reader(byte[] data) {
        return new Reader(data);
    }

    public static Writer writer() {
        return new Writer();
    }

    /** Sequential reader over a byte array; not thread-safe. */
    public static final class Reader {
        private final byte[] data;
        private int pos;

        private Reader(byte[] data) {
            this.data = data;
        }

        public int remaining() {
            return data.length - pos;
        }

        public boolean hasRemaining() {
            return pos < data.length;
        }

        /** Offset of the next byte; lets callers slice out the bytes a field span covered. */
        public int position() {
            return pos;
        }

        /** The bytes in {@code [from, position())}. */
        public byte[] consumedSince(int from) {
            return Arrays.copyOfRange(data, from, pos);
        }

        public long uint32() {
            need(4, "uint32");
            long v = ((data[pos] & 0xFFL) << 24) | ((data[pos + 1] & 0xFFL) << 16)
                    | ((data[pos + 2] & 0xFFL) << 8) | (data[pos + 3] & 0xFFL);
            pos += 4;
            return v;
        }

        /** The 64 bits as a Java long: callers treat it as unsigned where it matters. */
        public long uint64() {
            need(8, "uint64");
            long v = ByteBuffer.wrap(data, pos, 8).getLong();
            pos += 8;
            return v;
        }

        public int uint8() {
            need(1, "byte");
            return data[pos++] & 0xFF;
        }

        public boolean bool() {
            need(1, "boolean");
            return data[pos++] != 0;
        }

        public byte[] string() {
            long len = uint32();
            if (len > remaining()) {
                throw new SshKeyException("truncated data: string of " + len + " bytes but only "
                        + remaining() + " bytes left");
            }
            byte[] out = Arrays.copyOfRange(data, pos, pos + (int) len);
            pos += (int) len;
            return out;
        }

        /** A string that must be valid UTF-8. */
        public String utf8() {
            byte[] raw = string();
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                throw new SshKeyException("string is not valid UTF-8");
            }
        }

        /**
         * An mpint as a signed value. Redundant leading bytes are tolerated, as OpenSSH and Go
         * do when reading; the writer never produces them.
         */
        public BigInteger mpint() {
            byte[] raw = string();
            return raw.length == 0 ? BigInteger.ZERO : new BigInteger(raw);
        }

        /** An mpint that must be greater than zero; {@code what} names it in the error. */
        public BigInteger positiveMpint(String what) {
            BigInteger v = mpint();
            if (v.signum() <= 0) {
                throw new SshKeyException(what + " must be positive");
            }
            return v;
        }

        /** Fails unless every byte was consumed; {@code what} names the structure. */
        public void expectEnd(String what) {
            if (hasRemaining()) {
                throw new SshKeyException("trailing data after " + what);
            }
        }

        private void need(int n, String what) {
            if (remaining() < n) {
                throw new SshKeyException("truncated data: " + what + " needs " + n
                        + " bytes but only " + remaining() + " bytes left");
            }
        }
    }

    /** Appending writer; not thread-safe. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

        private Writer() {
        }

        public Writer uint32(long v) {
            if (v < 0 || v > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("uint32 out of range: " + v);
            }
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
            return this;
        }

        public Writer uint64(long v) {
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (v >>> shift));
            }
            return this;
        }

        public Writer bool(boolean v) {
            out.write(v ? 1 : 0);
            return this;
        }

        public Writer string(byte[] v) {
            uint32(v.length);
            out.writeBytes(v);
            return this;
        }

        public Writer utf8(String v) {
            return string(v.getBytes(StandardCharsets.UTF_8));
        }

        /** Minimal two's complement; zero is the empty string (RFC 4251 §5). */
        public Writer mpint(BigInteger v) {
            return string(v.signum() == 0 ? new byte[0] : v.toByteArray());
        }

        /** Bytes copied as they are, without a length prefix. */
        public Writer raw(byte[] v) {
            out.writeBytes(v);
            return this;
        }

        public byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
