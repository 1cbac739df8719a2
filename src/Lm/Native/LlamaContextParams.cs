using System.Runtime.InteropServices;

namespace HybridSynth.Lm.Native;

/// <summary><c>struct llama_context_params</c> of llama.cpp v0.5.0 (160 bytes on x86-64).</summary>
[StructLayout(LayoutKind.Explicit, Size = 160)]
public struct LlamaContextParams
{
    [FieldOffset(0)] public uint NCtx;
    [FieldOffset(4)] public uint NBatch;
    [FieldOffset(8)] public uint NUbatch;
    [FieldOffset(12)] public uint NSeqMax;
    [FieldOffset(16)] public uint NRsSeq;
    [FieldOffset(20)] public uint NOutputsMax;
    [FieldOffset(24)] public uint NOutputsMaxPerSeq;
    [FieldOffset(28)] public int NThreads;
    [FieldOffset(32)] public int NThreadsBatch;
    [FieldOffset(36)] public int CtxType;
    [FieldOffset(40)] public int RopeScalingType;
    [FieldOffset(44)] public int PoolingType;
    [FieldOffset(48)] public int AttentionType;
    [FieldOffset(52)] public int FlashAttnType;
    [FieldOffset(56)] public float RopeFreqBase;
    [FieldOffset(60)] public float RopeFreqScale;
    [FieldOffset(64)] public float YarnExtFactor;
    [FieldOffset(68)] public float YarnAttnFactor;
    [FieldOffset(72)] public float YarnBetaFast;
    [FieldOffset(76)] public float YarnBetaSlow;
    [FieldOffset(80)] public uint YarnOrigCtx;
    [FieldOffset(84)] public float DefragThold;
    [FieldOffset(88)] public IntPtr CbEval;
    [FieldOffset(96)] public IntPtr CbEvalUserData;
    [FieldOffset(104)] public int TypeK;
    [FieldOffset(108)] public int TypeV;
    [FieldOffset(112)] public IntPtr AbortCallback;
    [FieldOffset(120)] public IntPtr AbortCallbackData;
    [FieldOffset(128)] public byte Embeddings;
    [FieldOffset(129)] public byte OffloadKqv;
    [FieldOffset(130)] public byte NoPerf;
    [FieldOffset(131)] public byte OpOffload;
    [FieldOffset(132)] public byte SwaFull;
    [FieldOffset(133)] public byte KvUnified;
    [FieldOffset(136)] public IntPtr Samplers;
    [FieldOffset(144)] public nuint NSamplers;
    [FieldOffset(152)] public IntPtr CtxOther;
}
