package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.bench.LatencyBenchmark;
import dev.aimnext.jobs.bench.PrepareBenchmark;
import dev.aimnext.jobs.local.LocalStackException;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Entry point of {@code bin/aim}. Errors the user can fix print one line and exit with 2. */
public final class AimCli {

    private static final String USAGE =
            String.join(
                    "\n",
                    "usage: aim <command> [options]",
                    "",
                    "  demo   Kafka broker + guardrail job and QoS job (with the rebalancer) on one local Flink",
                    "         (web UI :8081, metrics :9249) + sample traffic + simulated serving telemetry",
                    "         --duration SECONDS  --rate REQ_PER_S (20)  --policy FILE  --delivery at-least-once|exactly-once",
                    "         --kafka-port 9092  --controller-port 9093  --web-port 8081  --metrics-port 9249",
                    "         --parallelism 2  --work-dir .aim  --seed 1  --speedup 6  --rebalance dry-run|apply",
                    "  scan   run the guardrails over a JSONL file, offline, one verdict per line",
                    "         --input FILE.jsonl|-  [--policy FILE]  [--output FILE]",
                    "  train-heads  train the default pack's prompt-injection and toxicity heads on the frozen encoder,",
                    "         deterministically from a seed; --check retrains and compares with the committed files",
                    "         [--data datasets/guardrails/train]  [--pack builtin:guard-minilm|DIR]  [--seed 42]",
                    "         [--out operators/src/main/resources/aim-guardrails/packs/guard-minilm]  [--max-fpr 0.05]",
                    "         [--cache-dir ~/.cache/aim/embeddings]  [--check]",
                    "  eval   precision, recall, F1, false-positive rate and AUC of a pack on labelled JSONL",
                    "         --data FILE.jsonl[,FILE...|DIR]  [--pack builtin:guard-minilm|DIR]  [--guardrail NAME]  [--sweep]",
                    "  train-ner  train the NER pack's token head (PERSON, LOCATION, ORGANIZATION, ADDRESS) on",
                    "         span-annotated PII data plus entity-free prompts; --check compares with the committed head",
                    "         [--data FILE.jsonl]  [--negatives FILE,...|none]  [--seed 42]  [--validation F]  [--check]",
                    "  eval-ner  per-type precision, recall and F1 (exact and overlap spans) of a token pack",
                    "         [--data FILE.jsonl]  [--pack builtin:ner-minilm|DIR]",
                    "  bench-latency  produce->allowed latency per guardrail mode, on an embedded broker",
                    "         --rate 1000  --warmup 10  --seconds 30  --parallelism 2  --modes off,pii[,full]",
                    "         (off: passthrough, pii: PII guardrail, full: default policy with the model guardrails)",
                    "         [--conf aim.guardrails.engine.max-batch-size=8,...]  job settings for every mode",
                    "  bench-prepare  dataset preparation throughput (tokens/s/core) on generated chat rows,",
                    "         stage by stage; --conversations 100000  --parallelism 2  [--tokenizer tokenizer.json]",
                    "  gpu-collector  sample GPUs, partitions and per-process VRAM; Prometheus gauges (:9250) and,",
                    "         with --bootstrap-servers, GpuSample events to Kafka",
                    "         [--bootstrap-servers HOST:PORT]  --topic aim.telemetry.gpu  --interval 5  --metrics-port 9250",
                    "         --node HOSTNAME  --sysfs-root /sys  --duration SECONDS (0: until Ctrl-C)",
                    "  profile  an AIM profile (JSON on stdout) sized to a GPU partition: parameters, training and",
                    "         serving memory, vLLM args; fails with what is needed when the model does not fit",
                    "         --model-config config.json  --method lora|qlora|full  --partition-gb GIB  [--dtype bf16]",
                    "         [--max-model-len N]  [--lora-rank 16]  [--lora-targets q,k,v,o,gate,up,down]",
                    "         [--train-seq-len 2048]  [--micro-batch-size 1]  [--gradient-checkpointing on|off]",
                    "         [--gpu-memory-utilization 0.90]  [--model-id ID]  [--output FILE]",
                    "  prepare  fine-tuning data preparation (Flink batch): validate, PII-scrub, dedup, template,",
                    "         tokenize, pack, split; writes train/eval.jsonl (+ .parquet), rejects.jsonl, manifest.json",
                    "         [--template templates/chat.yaml]  [--spec prepare.yaml]  --input PATH[,PATH...]  --output DIR",
                    "         [--format alpaca|sharegpt|openai|completion|preference]",
                    "         [--eval-fraction 0.05]  [--max-tokens N --on-overflow drop|truncate]",
                    "         [--near-dup-threshold 0.8 (0: off)]  [--no-pii-scrub]  [--pii-action mask|drop]",
                    "         [--pii-policy policy.yaml]",
                    "         [--chat-template chatml|llama3|mistral|gemma|phi3|tokenizer_config.json]",
                    "         [--tokenizer tokenizer.json]  [--loss-on assistant|all]  [--pack MAX_SEQ_LEN]  [--parquet]",
                    "  scrape-vllm  read a vLLM /metrics endpoint every interval; publish estimated RequestTelemetry",
                    "         (one per finished request, from the histogram increase) and KV-cache GpuSample events",
                    "         --url http://HOST:8000/metrics  --model SERVED_NAME  --partition gpu0/cpx3",
                    "         [--bootstrap localhost:9092]  [--interval 5s]  [--once]  [--vram-limit-gb GIB]",
                    "         [--node HOST]  [--gpu-id ID]  [--priority HIGH|NORMAL|LOW]  [--compute-mode CPX]",
                    "         [--memory-mode NPS4]  [--requests-topic aim.telemetry.requests]  [--gpu-topic aim.telemetry.gpu]",
                    "  plan   choose GPU partition modes and place models (weights + KV floor must fit a partition);",
                    "         DCM ConfigMap YAML on stdout (or --out), placement and rejections on stderr; exit 3 if a",
                    "         model is rejected.  --gpus [NODE=]GPU:COUNT[:MODE][,...]  (mi300x|mi325x|mi350x|mi355x,",
                    "         MODE e.g. qpx or cpx+nps4 pins it)  --model NAME=config.json[:DTYPE][:kv=TOKENSxSEQS|kv=4GiB]",
                    "         [:kv-dtype=fp8][:priority=high|medium|low]  (repeat; an AIM profile: --profile FILE[:...])",
                    "         [--modes validated|documented|preview (documented)]  [--gpu-memory-utilization 0.90]",
                    "         [--out dcm.yaml]  [--configmap config-manager-config]  [--namespace kube-amd-gpu]",
                    "         [--dcm-profile aim-plan]",
                    "  finetune  a fine-tuning run from a FineTuningJob spec: prepare the dataset (or reuse it), print",
                    "         the sizing, launch the trainer, follow its events (metrics :9251, Kafka with",
                    "         --bootstrap-servers), retry crashes and stalls from the last complete checkpoint, write",
                    "         the AIM profile. SIGTERM/Ctrl-C pauses (exit 75).  --spec job.yaml  [--runs-dir runs]",
                    "         [--backend local|kubernetes]  [--retries 2]  [--stall-timeout 10m]  [--bootstrap-servers HOST:PORT]",
                    "         kubernetes: --image IMAGE  --k8s runs-claim=CLAIM[,KEY=VALUE...]  [--gpu-resource amd.com/gpu]",
                    "         [--topic aim.training.events]  [--metrics-port 9251 (0: off)]  [--trainer-command CMD]",
                    "  finetune resume RUN_ID  continue a PAUSED or FAILED run (same options, spec not needed)",
                    "  runs   list fine-tuning runs, their state and checkpoints  [--runs-dir runs]",
                    "  help   this text");

    private AimCli() {}

    private static int benchLatency(CliArgs options, PrintStream out) throws Exception {
        double rate = options.doubleValue("rate", 1000);
        int warmup = options.intValue("warmup", 10);
        int seconds = options.intValue("seconds", 30);
        int parallelism = options.intValue("parallelism", 2);
        List<String> modes = List.of(options.value("modes", "off,pii").split(","));
        Map<String, String> conf = CliArgs.keyValues("conf", options.value("conf", ""), "");
        options.requireConsumed();
        new LatencyBenchmark(rate, Duration.ofSeconds(warmup), Duration.ofSeconds(seconds), parallelism, out, modes,
                conf).run();
        return 0;
    }

    private static int benchPrepare(CliArgs options, PrintStream out) throws Exception {
        int conversations = options.intValue("conversations", 100_000);
        int parallelism = options.intValue("parallelism", 2);
        String tokenizer = options.optional("tokenizer").orElse(null);
        options.requireConsumed();
        if (conversations < 100 || parallelism < 1) {
            throw new IllegalArgumentException("--conversations must be at least 100 and --parallelism at least 1");
        }
        new PrepareBenchmark(conversations, parallelism, tokenizer, out).run();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            if (args[0].equals("finetune")) {
                return new FinetuneCommand(args, out).run(); // takes a positional RUN_ID after "resume"
            }
            CliArgs options = new CliArgs(args, 1, java.util.Set.of("no-pii-scrub", "parquet", "once", "check", "sweep"));
            return switch (args[0]) {
                case "demo" -> new DemoCommand(options, out).run();
                case "scan" -> new ScanCommand(options, err).run();
                case "train-heads" -> new TrainHeadsCommand(options, out).run();
                case "eval" -> new EvalCommand(options, out).run();
                case "train-ner" -> new TrainNerCommand(options, out).run();
                case "eval-ner" -> new EvalNerCommand(options, out).run();
                case "bench-latency" -> benchLatency(options, out);
                case "bench-prepare" -> benchPrepare(options, out);
                case "gpu-collector" -> new GpuCollectorCommand(options, out).run();
                case "profile" -> new ProfileCommand(options, out, err).run();
                case "prepare" -> new PrepareCommand(options, out, err).run();
                case "plan" -> new PlanCommand(args, out, err).run();
                case "runs" -> new RunsCommand(options, out).run();
                case "scrape-vllm" -> new ScrapeVllmCommand(options, out).run();
                default -> {
                    err.println("aim: unknown command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (LocalStackException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("aim: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("aim: " + e);
            return 1;
        }
    }
}
