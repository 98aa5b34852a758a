package dev.latchkey.cluster;

import dev.latchkey.engine.lease.Lease;
import dev.latchkey.engine.lease.LeaseCodec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A whole lease sealed under its ID: {@code Barrier.seal(id, version(1) || dueTime(8) ||
 * tokenAccessor(modified UTF-8) || LeaseCodec.encode(lease))}, the layout of a Hazelcast
 * {@link LeaseEntry}'s body. A durable store keeps only this, so it holds no lease field in clear
 * but the ID.
 */
final class LeaseSeal {
    private static final byte BODY_VERSION = 1;

    private LeaseSeal() {
    }

    static byte[] seal(Barrier barrier, Lease lease) {
        String accessor = lease.tokenAccessor() == null ? "" : lease.tokenAccessor();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(192);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(BODY_VERSION);
            out.writeLong(lease.dueTime());
            out.writeUTF(accessor);
            out.write(LeaseCodec.encode(lease));
            return barrier.seal(lease.id(), bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Lease open(Barrier barrier, String id, byte[] sealed) {
        byte[] body = barrier.open(id, sealed);
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            byte version = in.readByte();
            if (version != BODY_VERSION) {
                throw new IllegalStateException("unknown lease entry version " + version);
            }
            long dueTime = in.readLong();
            String accessor = in.readUTF();
            return LeaseCodec.decode(id, accessor, dueTime, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("stored lease is corrupt", e);
        }
    }
}
