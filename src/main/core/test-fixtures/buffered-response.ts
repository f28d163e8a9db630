/**
 * A response whose body arrives in exactly these reads, every one already in the buffer: each read resolves at once,
 * as a local server's burst does by the time main reads it.
 */
export function bufferedResponse(reads: readonly string[], headers: Record<string, string> = { 'content-type': 'text/event-stream' }): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const read of reads) controller.enqueue(encoder.encode(read))
      controller.close()
    }
  })
  return new Response(body, { headers })
}
