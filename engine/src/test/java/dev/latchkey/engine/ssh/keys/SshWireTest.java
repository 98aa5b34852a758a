package dev.latchkey.engine.ssh.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SshWireTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String mpintHex(BigInteger v) {
        return HexFormat.of().formatHex(SshWire.writer().mpint(v).toByteArray());
    }

    /** The examples of RFC 4251, section 5. */
    @Test
    void mpintEncodingFollowsRfc4251Examples() {
        assertEquals("00000000", mpintHex(BigInteger.ZERO));
        assertEquals("0000000809a378f9b2e332a7", mpintHex(new BigInteger("9a378f9b2e332a7", 16)));
        assertEquals("000000020080", mpintHex(BigInteger.valueOf(0x80)));
        assertEquals("00000002edcc", mpintHex(BigInteger.valueOf(-0x1234)));
        assertEquals("00000005ff21524111", mpintHex(new BigInteger("-deadbeef", 16)));
    }

    @Test
    void mpintRoundTripsIncludingHighBitAndNegative() {
        for (BigInteger v : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(-1),
                BigInteger.valueOf(0xFF), BigInteger.valueOf(-0x80), BigInteger.valueOf(-0x81),
                BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)}) {
            SshWire.Reader r = SshWire.reader(SshWire.writer().mpint(v).toByteArray());
            assertEquals(v, r.mpint());
            assertFalse(r.hasRemaining());
        }
        // high bit set in the first byte: a leading zero keeps it positive
        assertEquals("00000003 00ff00".replace(" ", ""), mpintHex(BigInteger.valueOf(0xFF00)));
    }

    @Test
    void readerToleratesRedundantLeadingBytes() {
        assertEquals(BigInteger.ONE, SshWire.reader(hex("00000003 000001")).mpint());
        assertEquals(BigInteger.valueOf(-1), SshWire.reader(hex("00000002 ffff")).mpint());
    }

    @Test
    void positiveMpintRejectsZeroAndNegative() {
        SshKeyException zero = assertThrows(SshKeyException.class,
                () -> SshWire.reader(hex("00000000")).positiveMpint("RSA modulus"));
        assertEquals("RSA modulus must be positive", zero.getMessage());
        assertThrows(SshKeyException.class, () -> SshWire.reader(hex("00000001 80")).positiveMpint("x"));
    }

    @Test
    void integersStringsAndBooleansRoundTrip() {
        byte[] data = SshWire.writer().uint32(0xFFFFFFFFL).uint64(-1L).uint64(42).bool(true).bool(false)
                .string(new byte[] {1, 2, 3}).utf8("grüße").string(new byte[0]).toByteArray();
        SshWire.Reader r = SshWire.reader(data);
        assertEquals(0xFFFFFFFFL, r.uint32());
        assertEquals(-1L, r.uint64());
        assertEquals(42L, r.uint64());
        assertTrue(r.bool());
        assertFalse(r.bool());
        assertArrayEquals(new byte[] {1, 2, 3}, r.string());
        assertEquals("grüße", r.utf8());
        assertArrayEquals(new byte[0], r.string());
        r.expectEnd("test");
    }

    @Test
    void uint32RejectsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> SshWire.writer().uint32(-1));
        assertThrows(IllegalArgumentException.class, () -> SshWire.writer().uint32(1L << 32));
    }

    @Test
    void truncatedDataFailsCleanly() {
        assertThrows(SshKeyException.class, () -> SshWire.reader(hex("000000")).uint32());
        assertThrows(SshKeyException.class, () -> SshWire.reader(hex("00000000 000000")).uint64());
        assertThrows(SshKeyException.class, () -> SshWire.reader(new byte[0]).bool());
        SshKeyException e = assertThrows(SshKeyException.class,
                () -> SshWire.reader(hex("00000005 0102")).string());
        assertEquals("truncated data: string of 5 bytes but only 2 bytes left", e.getMessage());
        // A length near 4 GiB must not allocate, overflow or go negative.
        assertThrows(SshKeyException.class, () -> SshWire.reader(hex("ffffffff 00")).string());
        assertThrows(SshKeyException.class, () -> SshWire.reader(hex("80000000")).mpint());
    }

    @Test
    void trailingDataAndBadUtf8AreReported() {
        SshWire.Reader r = SshWire.reader(hex("00 01"));
        r.bool();
        assertEquals("trailing data after blob", assertThrows(SshKeyException.class,
                () -> r.expectEnd("blob")).getMessage());
        assertThrows(SshKeyException.class, () -> SshWire.reader(hex("00000002 c328")).utf8());
    }

    @Test
    void consumedSinceSlicesTheBytesRead() {
        SshWire.Reader r = SshWire.reader(hex("00000001 41 00000001 42"));
        r.string();
        int mark = r.position();
        r.string();
        assertArrayEquals(hex("00000001 42"), r.consumedSince(mark));
    }
}
