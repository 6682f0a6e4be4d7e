import net from 'node:net';

/**
 * A TCP relay a test puts between the app and its PostgreSQL server, to take the database away and
 * bring it back without touching the server other tests use. Down, it drops every open connection
 * and refuses new ones, as a server that stopped would; stalled, it holds every connection and
 * passes nothing, as a network that drops every packet would.
 */
export class Relay {
  private server = net.createServer((client) => this.connect(client));
  private sockets = new Set<net.Socket>();
  port = 0;
  up = true;

  constructor(private target: { host: string; port: number } | undefined) {}

  /** Stalled: connections stay open and new ones are accepted, but nothing passes either way. */
  private stalled = false;

  private connect(client: net.Socket) {
    if (this.stalled) {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      client.pause();
      return;
    }
    if (!this.up || !this.target) return client.destroy();
    const upstream = net.connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  }

  async listen() {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every open connection and refuses new ones, as a server that went down would. */
  down() {
    this.up = false;
    for (const socket of this.sockets) socket.destroy();
  }

  /**
   * Passes nothing on any more, but closes nothing either: a network that drops every packet, where
   * only the client's own timeouts end a wait.
   */
  stall() {
    this.stalled = true;
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  /** Up again; connections held through a stall are reset, as TCP would once the network is back. */
  restore() {
    if (this.stalled) for (const socket of this.sockets) socket.destroy();
    this.stalled = false;
    this.up = true;
  }

  close() {
    this.down();
    this.server.close();
  }
}
