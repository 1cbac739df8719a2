using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace HybridSynth.Scm.IO;

/// <summary>The check every table writer makes of a categorical cell: a whole number in [0, states).</summary>
internal static class StateCodes
{
    /// <summary>The code of <paramref name="x"/>; an <see cref="ArgumentException"/> naming the column when it is not a whole number in [0, <paramref name="states"/>).</summary>
    public static int Check(double x, int states, int column)
    {
        var code = (int)x;
        if ((uint)code >= (uint)states || code != x) Refuse(x, states, column);
        return code;
    }

    // Apart, so that Check is small enough to be inlined into the writers' loops.
    [DoesNotReturn]
    private static void Refuse(double x, int states, int column) =>
        throw new ArgumentException($"state code {x.ToString("R", CultureInfo.InvariantCulture)} in column {column}, which has {states} states");
}
