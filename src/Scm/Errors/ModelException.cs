namespace HybridSynth.Scm.Errors;

/// <summary>An operation that the model cannot support (a query on a continuous variable, an intervention on an unknown variable, a network too large for exact inference).</summary>
public class ModelException : Exception
{
    /// <summary>An error the CLI reports on one line with exit code 2.</summary>
    public ModelException(string message) : base(message) { }
}
