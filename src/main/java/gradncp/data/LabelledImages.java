package gradncp.data;

/**
 * Images grouped by class, the source of classification episodes ({@link Episodes}): class c has
 * {@link #examples}(c) images of C x size x size, channels first (the layout the classifier reads),
 * values in [0, 1].
 */
public interface LabelledImages {
    int classes();

    int channels();

    int size();

    /** Images available for class c. */
    int examples(int c);

    /** Image i of class c as float[C * size * size], channels first. */
    float[] image(int c, int i);

    /** A name for class c (a folder name, a label, a character), for messages. */
    String className(int c);

    /** One line: what these are and how many. */
    String describe();

    /** Channel-last pixels [size, size, C] (an {@link ImageSet} image) as channels-first [C, size, size]. */
    static float[] channelsFirst(float[] hwc, int size, int channels) {
        if (channels == 1) {
            return hwc;
        }
        float[] out = new float[hwc.length];
        int n = size * size;
        for (int p = 0; p < n; p++) {
            for (int c = 0; c < channels; c++) {
                out[c * n + p] = hwc[p * channels + c];
            }
        }
        return out;
    }
}
