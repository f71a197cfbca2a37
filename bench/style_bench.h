#pragma once
// The style transfer's figures: a fixed photo (tests/data/horses.jpg) painted after a fixed
// painting (tests/data/scream.jpg) with the defaults at 384 px: time to the first preview, the
// whole transfer, seconds per iteration at 384 px against the PyTorch prototype's
// (shared/reference/style/st.py, run in the same section with the same threads where
// /usr/bin/python3 has torch), and the quality figures (style and content).

namespace inceptionist::bench {

int styleSection(int argc, char** argv);

}  // namespace inceptionist::bench
