namespace HybridSynth.Scm.Tables;

/// <summary>
/// A column of values grown in chunks of 65,536, for readers that do not know the row count in advance: no array is
/// copied to grow it, so memory is the values plus one partly filled chunk, and the whole column is assembled once.
/// </summary>
public sealed class ChunkedColumn<T>
{
    private const int ChunkLength = 1 << 16;
    private readonly List<T[]> _chunks = new();
    private int _last = ChunkLength;

    /// <summary>The number of values added.</summary>
    public int Count { get; private set; }

    /// <summary>Appends <paramref name="value"/>.</summary>
    public void Add(T value)
    {
        if (_last == ChunkLength)
        {
            _chunks.Add(new T[ChunkLength]);
            _last = 0;
        }
        _chunks[^1][_last++] = value;
        Count++;
    }

    /// <summary>The values in order, as a new array; the column keeps them.</summary>
    public T[] ToArray() => Assemble(release: false);

    /// <summary>The values in order, as a new array; each chunk is released as it is copied, and the column is left empty.</summary>
    public T[] Drain()
    {
        var all = Assemble(release: true);
        _chunks.Clear();
        (_last, Count) = (ChunkLength, 0);
        return all;
    }

    private T[] Assemble(bool release)
    {
        var all = new T[Count];
        for (var c = 0; c < _chunks.Count; c++)
        {
            _chunks[c].AsSpan(0, Math.Min(ChunkLength, Count - c * ChunkLength)).CopyTo(all.AsSpan(c * ChunkLength));
            if (release) _chunks[c] = null!;
        }
        return all;
    }
}
