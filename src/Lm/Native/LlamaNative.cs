using System.Runtime.InteropServices;

namespace HybridSynth.Lm.Native;

/// <summary>
/// P/Invoke declarations for the part of the llama.cpp v0.5.0 C API that HybridSynth uses (names and
/// signatures from its <c>include/llama.h</c> and <c>ggml/include/ggml-backend.h</c>). The library
/// names are resolved to files by <see cref="NativeLibraryLoader"/>.
/// </summary>
internal static unsafe class LlamaNative
{
    public const string Llama = "llama";
    public const string Ggml = "ggml";

    [DllImport(Llama)] public static extern IntPtr llama_version();
    [DllImport(Llama)] public static extern IntPtr llama_print_system_info();
    [DllImport(Llama)] public static extern LlamaModelParams llama_model_default_params();
    [DllImport(Llama)] public static extern LlamaContextParams llama_context_default_params();
    [DllImport(Llama)] public static extern void llama_backend_init();
    [DllImport(Llama)] public static extern void llama_log_set(delegate* unmanaged[Cdecl]<int, IntPtr, IntPtr, void> callback, IntPtr userData);

    [DllImport(Llama)] public static extern IntPtr llama_model_load_from_file(byte* path, LlamaModelParams parameters);
    [DllImport(Llama)] public static extern void llama_model_free(IntPtr model);
    [DllImport(Llama)] public static extern IntPtr llama_init_from_model(IntPtr model, LlamaContextParams parameters);
    [DllImport(Llama)] public static extern void llama_free(IntPtr context);
    [DllImport(Llama)] public static extern uint llama_n_ctx(IntPtr context);
    [DllImport(Llama)] public static extern ulong llama_model_n_params(IntPtr model);
    [DllImport(Llama)] public static extern int llama_model_n_ctx_train(IntPtr model);
    [DllImport(Llama)] public static extern int llama_model_desc(IntPtr model, byte* buffer, nuint size);

    [DllImport(Llama)] public static extern IntPtr llama_model_get_vocab(IntPtr model);
    [DllImport(Llama)] public static extern int llama_vocab_type(IntPtr vocab);
    [DllImport(Llama)] public static extern int llama_vocab_n_tokens(IntPtr vocab);
    [DllImport(Llama)] public static extern int llama_vocab_bos(IntPtr vocab);
    [DllImport(Llama)] public static extern int llama_vocab_eos(IntPtr vocab);
    [DllImport(Llama)] [return: MarshalAs(UnmanagedType.U1)] public static extern bool llama_vocab_get_add_bos(IntPtr vocab);
    [DllImport(Llama)] public static extern int llama_tokenize(IntPtr vocab, byte* text, int textLength, int* tokens, int maxTokens,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);
    [DllImport(Llama)] public static extern int llama_token_to_piece(IntPtr vocab, int token, byte* buffer, int length, int lstrip,
        [MarshalAs(UnmanagedType.U1)] bool special);

    [DllImport(Llama)] public static extern LlamaBatch llama_batch_init(int nTokens, int embd, int nSeqMax);
    [DllImport(Llama)] public static extern void llama_batch_free(LlamaBatch batch);
    [DllImport(Llama)] public static extern int llama_decode(IntPtr context, LlamaBatch batch);
    [DllImport(Llama)] public static extern float* llama_get_logits_ith(IntPtr context, int i);

    [DllImport(Llama)] public static extern IntPtr llama_get_memory(IntPtr context);
    [DllImport(Llama)] public static extern void llama_memory_clear(IntPtr memory, [MarshalAs(UnmanagedType.U1)] bool data);
    [DllImport(Llama)] [return: MarshalAs(UnmanagedType.U1)] public static extern bool llama_memory_seq_rm(IntPtr memory, int seq, int p0, int p1);
    [DllImport(Llama)] public static extern void llama_memory_seq_cp(IntPtr memory, int source, int destination, int p0, int p1);

    [DllImport(Ggml)] public static extern void ggml_backend_load_all_from_path(byte* directory);
}

/// <summary>Sampler and generation entry points of llama.cpp v0.5.0 (<c>llama_sampler_*</c>).</summary>
internal static unsafe class LlamaSamplerNative
{
    private const string Llama = LlamaNative.Llama;

    [DllImport(Llama)] public static extern LlamaSamplerChainParams llama_sampler_chain_default_params();
    [DllImport(Llama)] public static extern IntPtr llama_sampler_chain_init(LlamaSamplerChainParams parameters);
    [DllImport(Llama)] public static extern void llama_sampler_chain_add(IntPtr chain, IntPtr sampler);
    [DllImport(Llama)] public static extern IntPtr llama_sampler_init_greedy();
    [DllImport(Llama)] public static extern IntPtr llama_sampler_init_dist(uint seed);
    [DllImport(Llama)] public static extern IntPtr llama_sampler_init_temp(float temperature);
    [DllImport(Llama)] public static extern IntPtr llama_sampler_init_top_k(int k);
    [DllImport(Llama)] public static extern IntPtr llama_sampler_init_grammar(IntPtr vocab, byte* grammar, byte* root);
    [DllImport(Llama)] public static extern int llama_sampler_sample(IntPtr sampler, IntPtr context, int index);
    [DllImport(Llama)] public static extern void llama_sampler_free(IntPtr sampler);
    [DllImport(Llama)] [return: MarshalAs(UnmanagedType.U1)] public static extern bool llama_vocab_is_eog(IntPtr vocab, int token);
}

/// <summary><c>struct llama_sampler_chain_params</c>: one bool.</summary>
[StructLayout(LayoutKind.Sequential, Size = 1)]
public struct LlamaSamplerChainParams
{
    public byte NoPerf;
}
