using System.Runtime.InteropServices;

namespace HybridSynth.Lm.Native;

/// <summary>
/// Start-up check that our struct declarations match llama.cpp v0.5.0: sizes and every field offset
/// against the header's layout, and the library's default parameters against known defaults (a
/// layout that is wrong but the same size shows up there). Fails with a clear message.
/// </summary>
public static class LayoutCheck
{
    private static readonly (Type Type, int Size, (string Field, int Offset)[] Fields)[] Expected =
    {
        (typeof(LlamaModelParams), 80, new[]
        {
            ("Devices", 0), ("TensorBuftOverrides", 8), ("NGpuLayers", 16), ("SplitMode", 20), ("LoadMode", 24), ("LazyMode", 28),
            ("MainGpu", 32), ("TensorSplit", 40), ("ProgressCallback", 48), ("ProgressCallbackUserData", 56), ("KvOverrides", 64),
            ("VocabOnly", 72), ("CheckTensors", 73), ("UseExtraBufts", 74), ("NoHost", 75), ("NoAlloc", 76), ("LoadMtp", 77),
        }),
        (typeof(LlamaContextParams), 160, new[]
        {
            ("NCtx", 0), ("NBatch", 4), ("NUbatch", 8), ("NSeqMax", 12), ("NRsSeq", 16), ("NOutputsMax", 20), ("NOutputsMaxPerSeq", 24),
            ("NThreads", 28), ("NThreadsBatch", 32), ("CtxType", 36), ("RopeScalingType", 40), ("PoolingType", 44), ("AttentionType", 48),
            ("FlashAttnType", 52), ("RopeFreqBase", 56), ("RopeFreqScale", 60), ("YarnExtFactor", 64), ("YarnAttnFactor", 68),
            ("YarnBetaFast", 72), ("YarnBetaSlow", 76), ("YarnOrigCtx", 80), ("DefragThold", 84), ("CbEval", 88), ("CbEvalUserData", 96),
            ("TypeK", 104), ("TypeV", 108), ("AbortCallback", 112), ("AbortCallbackData", 120), ("Embeddings", 128), ("OffloadKqv", 129),
            ("NoPerf", 130), ("OpOffload", 131), ("SwaFull", 132), ("KvUnified", 133), ("Samplers", 136), ("NSamplers", 144), ("CtxOther", 152),
        }),
        (typeof(LlamaBatch), 56, new[] { ("NTokens", 0), ("Token", 8), ("Embd", 16), ("Pos", 24), ("NSeqId", 32), ("SeqId", 40), ("Logits", 48) }),
    };

    /// <summary>Checks the managed declarations (no native code needed). Returns the problems found.</summary>
    public static IReadOnlyList<string> CheckDeclarations()
    {
        var problems = new List<string>();
        if (IntPtr.Size != 8) problems.Add($"a 64-bit process is required (pointer size {IntPtr.Size})");
        foreach (var (type, size, fields) in Expected)
        {
            var actual = Marshal.SizeOf(type);
            if (actual != size) problems.Add($"{type.Name} is {actual} bytes; llama.cpp v0.5.0 has {size}");
            foreach (var (field, offset) in fields)
            {
                var o = (int)Marshal.OffsetOf(type, field);
                if (o != offset) problems.Add($"{type.Name}.{field} is at offset {o}; llama.cpp v0.5.0 has {offset}");
            }
        }
        return problems;
    }

    /// <summary>
    /// Checks the library's defaults read through our declarations against llama.cpp v0.5.0's
    /// <c>llama_model_default_params</c> and <c>llama_context_default_params</c> (needs the native library).
    /// A shifted field reads a wrong value here even when the struct size is right.
    /// </summary>
    public static IReadOnlyList<string> CheckDefaults()
    {
        var problems = new List<string>();
        void Expect<T>(string field, T actual, T expected) where T : IEquatable<T>
        {
            if (!actual.Equals(expected)) problems.Add($"{field} reads {actual}; v0.5.0's default is {expected}");
        }
        var m = LlamaNative.llama_model_default_params();
        Expect("llama_model_params.n_gpu_layers", m.NGpuLayers, -1);
        Expect("llama_model_params.split_mode", m.SplitMode, 1);
        Expect("llama_model_params.load_mode", m.LoadMode, -1);
        Expect("llama_model_params.lazy_mode", m.LazyMode, 1);
        Expect("llama_model_params.main_gpu", m.MainGpu, 0);
        Expect("llama_model_params.vocab_only", m.VocabOnly, (byte)0);
        Expect("llama_model_params.use_extra_bufts", m.UseExtraBufts, (byte)1);
        Expect("llama_model_params.load_mtp", m.LoadMtp, (byte)0);
        var c = LlamaNative.llama_context_default_params();
        Expect("llama_context_params.n_ctx", c.NCtx, 512u);
        Expect("llama_context_params.n_batch", c.NBatch, 2048u);
        Expect("llama_context_params.n_ubatch", c.NUbatch, 512u);
        Expect("llama_context_params.n_seq_max", c.NSeqMax, 1u);
        Expect("llama_context_params.n_outputs_max_per_seq", c.NOutputsMaxPerSeq, 1u);
        Expect("llama_context_params.flash_attn_type", c.FlashAttnType, -1);
        Expect("llama_context_params.yarn_ext_factor", c.YarnExtFactor, -1f);
        Expect("llama_context_params.yarn_beta_slow", c.YarnBetaSlow, -1f);
        Expect("llama_context_params.defrag_thold", c.DefragThold, -1f);
        Expect("llama_context_params.type_k", c.TypeK, 1);
        Expect("llama_context_params.type_v", c.TypeV, 1);
        Expect("llama_context_params.offload_kqv", c.OffloadKqv, (byte)1);
        Expect("llama_context_params.swa_full", c.SwaFull, (byte)1);
        Expect("llama_context_params.kv_unified", c.KvUnified, (byte)0);
        Expect("llama_context_params.n_samplers", (ulong)c.NSamplers, 0ul);
        Expect("llama_context_params.ctx_other", c.CtxOther, IntPtr.Zero);
        return problems;
    }
}
