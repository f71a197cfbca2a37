// An empty program linked with libtorch and nothing else: the start-up benchmark times it to
// its first output, the least any program that links libtorch can take here (loading and
// relocating libtorch and the libraries it needs, and its static initialisers).
#include <cstdio>

int main() {
    std::fputs("ready\n", stderr);
    return 0;
}
