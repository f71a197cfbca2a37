#pragma once
// The style transfer's figures: a fixed photo (tests/data/horses.jpg) painted after a fixed
// painting (tests/data/scream.jpg) with the defaults at 384 px: time to the first preview, the
// whole transfer, seconds per iteration at 384 px against the PyTorch prototype's
// (shared/reference/style/st.py, run in the same section with the same threads where
// /usr/bin/python3 has torch), and the quality figures (style and content).

namespace inceptionist::bench {

int styleSection(int argc, char** argv);

// Styled prints: the test photo enlarged to a 3:2 photo of the print's size, painted after the
// test painting with the defaults but 30 iterations (the print's stages 5 each), up to 3000×2000
// and 6000×4000, written as a 16-bit TIFF; the time, peak resident memory (each size in a
// process of its own) and the planned peak. `--print-size N` runs one size.
int stylePrintSection(int argc, char** argv);

}  // namespace inceptionist::bench
