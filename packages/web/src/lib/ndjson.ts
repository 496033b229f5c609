/** Reads a streamed `application/x-ndjson` answer line by line (the CSV import's progress). */
export async function* ndjsonLines(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffered += done ? decoder.decode() : decoder.decode(value, { stream: true });
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) yield JSON.parse(line) as unknown;
      nl = buffered.indexOf('\n');
    }
    if (done) break;
  }
  if (buffered.trim()) yield JSON.parse(buffered) as unknown;
}
