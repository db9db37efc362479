package io.crmconnect.smt.util;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA-256 (RFC 2104) with the keyed inner and outer states computed once: each hash clones the two pre-keyed
 * digests instead of re-absorbing the padded key, which halves the SHA-256 block computations for short values
 * compared with {@link javax.crypto.Mac} (measured: ~0.6 µs instead of ~1.05 µs per value on the benchmark machine;
 * a hand-written SHA-256 compression was tried and was slower than the JDK's intrinsic). Results are identical to
 * {@code Mac.getInstance("HmacSHA256")} (tested).
 *
 * <p>{@link #macHex(String)} is the hot path of HashPii: ASCII text is copied into a reused byte buffer instead of
 * {@code getBytes}, both digests are finished into a reused 32-byte buffer, and the hex text is built as Latin-1
 * bytes. Not thread-safe (the buffers); one instance per transform instance, which Connect uses from one task
 * thread.
 */
public final class Hmac256 {
    private static final int BLOCK = 64;
    private static final int LENGTH = 32;
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final byte[] HEX_BYTES = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    private static final int SCRATCH = 256;
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] text = new byte[SCRATCH];
    private final byte[] digest = new byte[LENGTH];
    private final byte[] hex = new byte[2 * LENGTH];

    public Hmac256(byte[] key) {
        try {
            byte[] k = key.length > BLOCK ? MessageDigest.getInstance("SHA-256").digest(key) : key;
            byte[] ipad = new byte[BLOCK];
            byte[] opad = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                byte b = i < k.length ? k[i] : 0;
                ipad[i] = (byte) (b ^ 0x36);
                opad[i] = (byte) (b ^ 0x5c);
            }
            inner = MessageDigest.getInstance("SHA-256");
            inner.update(ipad);
            outer = MessageDigest.getInstance("SHA-256");
            outer.update(opad);
            Arrays.fill(ipad, (byte) 0);
            Arrays.fill(opad, (byte) 0);
            inner.clone(); // fail now, not per record, if the provider cannot clone
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 with clonable digests is required", e);
        }
    }

    public byte[] mac(byte[] message) {
        byte[] out = new byte[LENGTH];
        macInto(message, 0, message.length, out);
        return out;
    }

    public byte[] mac(String text) {
        return mac(text.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC of {@code message[off, off+len)} into {@code out[0, 32)}. */
    private void macInto(byte[] message, int off, int len, byte[] out) {
        try {
            MessageDigest i = (MessageDigest) inner.clone();
            i.update(message, off, len);
            i.digest(out, 0, LENGTH);
            MessageDigest o = (MessageDigest) outer.clone();
            o.update(out, 0, LENGTH);
            o.digest(out, 0, LENGTH);
        } catch (CloneNotSupportedException | DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MAC of the UTF-8 bytes of {@code text} as 64 lower-case hex characters. */
    public String macHex(String text) {
        int n = text.length();
        byte[] buf = this.text;
        boolean ascii = n <= SCRATCH;
        for (int i = 0; ascii && i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                ascii = false;
            } else {
                buf[i] = (byte) c; // ASCII: its UTF-8 encoding is the byte itself
            }
        }
        if (ascii) {
            macInto(buf, 0, n, digest);
        } else {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            macInto(utf8, 0, utf8.length, digest);
        }
        byte[] h = hex;
        for (int i = 0; i < LENGTH; i++) {
            int b = digest[i] & 0xff;
            h[2 * i] = HEX_BYTES[b >>> 4];
            h[2 * i + 1] = HEX_BYTES[b & 0x0f];
        }
        return new String(h, 0, 2 * LENGTH, StandardCharsets.ISO_8859_1);
    }

    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            out[2 * i] = HEX[b >>> 4];
            out[2 * i + 1] = HEX[b & 0x0f];
        }
        return new String(out);
    }
}
