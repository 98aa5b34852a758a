package dev.latchkey.engine.lease;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;

/**
 * A lease's body as compact bytes, so stores only handle (and seal) opaque bytes. The ID, token
 * accessor and due time are left out: a store keeps those in clear fields of its own, because it
 * looks leases up by them. Compact because a million live OTPs means a million leases in memory.
 */
public final class LeaseCodec {
    private static final byte VERSION = 1;
    private static final int MAX_ERROR_CHARS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private LeaseCodec() {
    }

    public static byte[] encode(Lease lease) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            writeMountUuid(out, lease.mountUuid());
            out.writeUTF(lease.secretType());
            byte[] internal = lease.internalData().isEmpty() ? new byte[0] : JSON.writeValueAsBytes(lease.internalData());
            out.writeInt(internal.length);
            out.write(internal);
            out.writeLong(lease.issueTime());
            out.writeLong(lease.expireTime());
            out.writeLong(lease.lastRenewal());
            out.writeBoolean(lease.renewable());
            out.writeInt(lease.revokeAttempts());
            String error = lease.lastError();
            out.writeUTF(error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) : error);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Lease decode(String id, String tokenAccessor, long dueTime, byte[] body) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown lease encoding version " + version);
            }
            String mountUuid = readMountUuid(in);
            String secretType = in.readUTF();
            byte[] internal = new byte[in.readInt()];
            in.readFully(internal);
            Map<String, Object> data = internal.length == 0 ? Map.of() : JSON.readValue(internal, MAP);
            return new Lease(id, mountUuid, secretType, data, tokenAccessor, in.readLong(), in.readLong(),
                    in.readLong(), in.readBoolean(), in.readInt(), in.readUTF(), dueTime);
        } catch (IOException e) {
            throw new UncheckedIOException("stored lease is corrupt", e);
        }
    }

    /** Mount UUIDs take 16 bytes instead of 36 characters; anything else is kept as text. */
    private static void writeMountUuid(DataOutputStream out, String mountUuid) throws IOException {
        UUID uuid = null;
        try {
            uuid = UUID.fromString(mountUuid);
        } catch (IllegalArgumentException notAUuid) {
            // written as text below
        }
        if (uuid != null && uuid.toString().equals(mountUuid)) {
            out.writeByte(1);
            out.writeLong(uuid.getMostSignificantBits());
            out.writeLong(uuid.getLeastSignificantBits());
        } else {
            out.writeByte(0);
            out.writeUTF(mountUuid);
        }
    }

    private static String readMountUuid(DataInputStream in) throws IOException {
        return in.readByte() == 1 ? new UUID(in.readLong(), in.readLong()).toString() : in.readUTF();
    }
}
