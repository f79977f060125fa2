// Features 0, 2 and 4 over 64 positions (d = 8). Pair i has wavelength 2*pi*10000^(2i/8): about
// 6.3 positions for feature 0, 63 for feature 2 and 628 for feature 4 (almost a straight line here).
var longTable = SinusoidalPositions.Table(64, 8);
for (int p = 0; p < 64; p++)
{
    Plot("feature 0", p, longTable[p, 0].item<double>());
    Plot("feature 2", p, longTable[p, 2].item<double>());
    Plot("feature 4", p, longTable[p, 4].item<double>());
}
