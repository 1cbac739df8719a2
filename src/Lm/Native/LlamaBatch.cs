using System.Runtime.InteropServices;

namespace HybridSynth.Lm.Native;

/// <summary><c>struct llama_batch</c> of llama.cpp v0.5.0 (56 bytes on x86-64); arrays owned by llama_batch_init/llama_batch_free.</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public unsafe struct LlamaBatch
{
    [FieldOffset(0)] public int NTokens;
    [FieldOffset(8)] public int* Token;
    [FieldOffset(16)] public float* Embd;
    [FieldOffset(24)] public int* Pos;
    [FieldOffset(32)] public int* NSeqId;
    [FieldOffset(40)] public int** SeqId;
    [FieldOffset(48)] public sbyte* Logits;
}
