package org.batterytrace.server.passport;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.datamatrix.DataMatrixWriter;
import com.google.zxing.datamatrix.encoder.SymbolShapeHint;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * QR and Data Matrix symbols (ISO/IEC 18004, ISO/IEC 16022: the carriers GB/T 34014 names, and the QR code
 * Art. 13(6) of Reg. (EU) 2023/1542 asks for) as PNG or SVG, drawn with ZXing. Each symbol keeps its quiet
 * zone (4 modules for QR, 1 for Data Matrix) so that a printed or screen copy scans on its own.
 */
public final class QrCodes {
    /** Smallest and largest PNG edge in pixels. */
    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 1024;

    public enum Symbology {
        QR, DATAMATRIX
    }

    private QrCodes() {
    }

    /** The symbol's modules, one matrix cell per module, quiet zone included. */
    public static BitMatrix modules(String text, Symbology symbology) {
        try {
            if (symbology == Symbology.QR) {
                return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                        Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4, EncodeHintType.CHARACTER_SET, "UTF-8"));
            }
            BitMatrix core = new DataMatrixWriter().encode(text, BarcodeFormat.DATA_MATRIX, 0, 0,
                    Map.of(EncodeHintType.DATA_MATRIX_SHAPE, SymbolShapeHint.FORCE_SQUARE));
            BitMatrix framed = new BitMatrix(core.getWidth() + 2, core.getHeight() + 2);
            for (int y = 0; y < core.getHeight(); y++) {
                for (int x = 0; x < core.getWidth(); x++) {
                    if (core.get(x, y)) {
                        framed.set(x + 1, y + 1);
                    }
                }
            }
            return framed;
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode " + text.length() + " characters as " + symbology, e);
        }
    }

    /** A PNG of about {@code size} pixels square, every module the same whole number of pixels. */
    public static byte[] png(BitMatrix modules, int size) {
        int scale = Math.max(1, size / modules.getWidth());
        int w = modules.getWidth() * scale;
        int h = modules.getHeight() * scale;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, modules.get(x / scale, y / scale) ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An SVG with one path of unit squares; it scales without blur. */
    public static String svg(BitMatrix modules, int size) {
        StringBuilder path = new StringBuilder();
        for (int y = 0; y < modules.getHeight(); y++) {
            for (int x = 0; x < modules.getWidth(); x++) {
                if (modules.get(x, y)) {
                    path.append('M').append(x).append(' ').append(y).append("h1v1h-1z");
                }
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + size + "\" height=\"" + size + "\" viewBox=\"0 0 " + modules.getWidth() + " "
                + modules.getHeight() + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\""
                + path + "\"/></svg>";
    }
}
