// For the fault-injection test: an app process's outbox worker that dies between sending and marking.
// `mail <dir>`: runs the mail worker (deliverMail) with the file transport writing to <dir>;
// `webhooks`: runs the webhook sender (deliverWebhooks), posting with fetch.
// Each message goes out for real; then the worker prints "sent <id>" and hangs before it can mark
// the message sent, waiting to be killed.
import { deliverWebhooks } from "~/access/webhooks.server";
import { deliverMail } from "~/mail/outbox.server";
import { fileTransport } from "~/mail/transport.server";

const [mode, dir] = process.argv.slice(2);
const hang = () => new Promise<never>(() => {});

if (mode === "mail") {
  const files = fileTransport(dir!, "Manabi <manabi@example.com>");
  await deliverMail({
    transport: {
      ...files,
      send: async (message) => {
        await files.send(message);
        process.stdout.write(`sent ${message.messageId}\n`);
        return hang();
      },
    },
  });
} else if (mode === "webhooks") {
  await deliverWebhooks({
    post: async (url, init) => {
      const response = await fetch(url, { ...init, redirect: "manual" });
      process.stdout.write(`sent ${response.status}\n`);
      return hang();
    },
  });
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
