package gradncp.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The two row layouts of a distributed fit. Input: {@code path} (where the signal came from, its
 * key), {@code label} (nullable), and either {@code content} (an encoded PNG/JPEG) or
 * {@code pixels} (R*R*C floats in [0, 1], channels last). Output, one row per signal: the input's
 * path and label, the fitted parameters (every tensor of the checkpoint in order, flattened; or
 * their difference from the init when {@code delta}), PSNR, SSIM, steps, protocol, and the fit's
 * wall time per signal in milliseconds (its batch's time over the batch size).
 */
public final class FitRows {
    public static final String PATH = "path";
    public static final String LABEL = "label";
    public static final String CONTENT = "content";
    public static final String PIXELS = "pixels";
    public static final String PARAMS = "params";

    public static final StructType INPUT = new StructType(new StructField[] {
        DataTypes.createStructField(PATH, DataTypes.StringType, false),
        DataTypes.createStructField(LABEL, DataTypes.StringType, true),
        DataTypes.createStructField(CONTENT, DataTypes.BinaryType, true),
        DataTypes.createStructField(PIXELS, DataTypes.createArrayType(DataTypes.FloatType, false), true),
    });

    public static final StructType OUTPUT = new StructType(new StructField[] {
        DataTypes.createStructField(PATH, DataTypes.StringType, false),
        DataTypes.createStructField(LABEL, DataTypes.StringType, true),
        DataTypes.createStructField(PARAMS, DataTypes.createArrayType(DataTypes.FloatType, false), true),
        DataTypes.createStructField("delta", DataTypes.BooleanType, false),
        DataTypes.createStructField("psnr", DataTypes.DoubleType, false),
        DataTypes.createStructField("ssim", DataTypes.DoubleType, false),
        DataTypes.createStructField("steps", DataTypes.IntegerType, false),
        DataTypes.createStructField("rescaled", DataTypes.BooleanType, false),
        DataTypes.createStructField("ms", DataTypes.DoubleType, false),
    });

    private FitRows() {}
}
