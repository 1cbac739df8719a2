namespace HybridSynth.Lm.Published;

/// <summary>
/// numpy's legacy global generator as the published SD-SCM code uses it: <c>np.random.seed(s)</c>
/// (MT19937 initialised by <c>init_genrand(s)</c> for a 32-bit integer seed) followed by
/// <c>np.random.randint(low=0, high=k, size=1)</c>, which draws by masked rejection on 32-bit outputs
/// (mask = the smallest 2^b − 1 ≥ k − 1) and draws nothing when k = 1. Only what reproducing the
/// published config seed's phrasing choices needs; checked against numpy 1.24 in the tests.
/// </summary>
public sealed class NumpyLegacyRandom
{
    private const int N = 624, M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;

    /// <summary>numpy's legacy <c>RandomState(seed)</c> (MT19937 seeded like <c>init_genrand</c>).</summary>
    public NumpyLegacyRandom(uint seed)
    {
        _mt[0] = seed;
        for (var i = 1; i < N; i++) _mt[i] = unchecked(1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i);
        _index = N;
    }

    /// <summary>The next raw 32-bit output (genrand_int32).</summary>
    public uint NextUInt32()
    {
        if (_index >= N)
        {
            for (var i = 0; i < N; i++)
            {
                var y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7fffffffu);
                _mt[i] = _mt[(i + M) % N] ^ (y >> 1) ^ ((y & 1u) != 0 ? 0x9908b0dfu : 0u);
            }
            _index = 0;
        }
        var z = _mt[_index++];
        z ^= z >> 11;
        z ^= (z << 7) & 0x9d2c5680u;
        z ^= (z << 15) & 0xefc60000u;
        z ^= z >> 18;
        return z;
    }

    /// <summary><c>randint(0, high)</c>: a uniform integer in [0, high).</summary>
    public int RandInt(int high)
    {
        if (high < 1) throw new ArgumentOutOfRangeException(nameof(high), "randint needs high ≥ 1");
        var range = (uint)(high - 1);
        if (range == 0) return 0;
        var mask = range;
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16;
        while (true)
        {
            var v = NextUInt32() & mask;
            if (v <= range) return (int)v;
        }
    }
}
