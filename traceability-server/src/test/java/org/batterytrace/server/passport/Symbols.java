package org.batterytrace.server.passport;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Reads QR and Data Matrix symbols back from images, with ZXing's decoder: what a phone's scanner would read. */
public final class Symbols {
    private Symbols() {
    }

    public static String decode(byte[] image) {
        try {
            return decode(ImageIO.read(new ByteArrayInputStream(image)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String decode(BufferedImage image) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        List<BarcodeFormat> formats = List.of(BarcodeFormat.QR_CODE, BarcodeFormat.DATA_MATRIX);
        try {
            return new MultiFormatReader().decode(bitmap, Map.of(DecodeHintType.POSSIBLE_FORMATS, formats, DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
        } catch (NotFoundException e) {
            // The finder-pattern search occasionally misses a noiseless synthetic symbol; an image that is the symbol
            // and its quiet zone alone can be read module by module.
            try {
                return new MultiFormatReader().decode(bitmap, Map.of(DecodeHintType.POSSIBLE_FORMATS, formats, DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
            } catch (NotFoundException pure) {
                throw new AssertionError("no QR or Data Matrix symbol found in the " + image.getWidth() + "x" + image.getHeight() + " image");
            }
        }
    }
}
