using System.Runtime.InteropServices;

namespace HybridSynth.Lm.Native;

/// <summary><c>struct llama_model_params</c> of llama.cpp v0.5.0 (80 bytes on x86-64).</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
public struct LlamaModelParams
{
    [FieldOffset(0)] public IntPtr Devices;
    [FieldOffset(8)] public IntPtr TensorBuftOverrides;
    [FieldOffset(16)] public int NGpuLayers;
    [FieldOffset(20)] public int SplitMode;
    [FieldOffset(24)] public int LoadMode;
    [FieldOffset(28)] public int LazyMode;
    [FieldOffset(32)] public int MainGpu;
    [FieldOffset(40)] public IntPtr TensorSplit;
    [FieldOffset(48)] public IntPtr ProgressCallback;
    [FieldOffset(56)] public IntPtr ProgressCallbackUserData;
    [FieldOffset(64)] public IntPtr KvOverrides;
    [FieldOffset(72)] public byte VocabOnly;
    [FieldOffset(73)] public byte CheckTensors;
    [FieldOffset(74)] public byte UseExtraBufts;
    [FieldOffset(75)] public byte NoHost;
    [FieldOffset(76)] public byte NoAlloc;
    [FieldOffset(77)] public byte LoadMtp;
}
