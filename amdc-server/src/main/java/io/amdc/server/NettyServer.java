package io.amdc.server;

import io.amdc.core.Engine;
import io.amdc.core.config.Config;
import io.amdc.core.util.Log;
import io.amdc.persist.aof.Aof;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.amdc.resp.IoBuffers;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The network front: {@code io-threads} Netty event loops (io_uring, epoll or NIO) accepting and
 * serving clients; each loop runs the commands it reads. A cron thread drives expiry and timeouts.
 */
public final class NettyServer implements AutoCloseable {
    static final String PROTECTED_DENIED = "DENIED Redis is running in protected mode because protected mode is enabled "
            + "and no password is set for the default user. In this mode connections are only accepted from the "
            + "loopback interface. If you want to connect from external computers to Redis you may adopt one of the "
            + "following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' "
            + "from the loopback interface by connecting to Redis from the same host the server is running, however "
            + "MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this "
            + "change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis "
            + "configuration file, and setting the protected mode option to 'no', and then restarting the server. "
            + "3) If you started the server manually just for testing, restart it with the '--protected-mode no' "
            + "option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of "
            + "the above things in order for the server to start accepting connections from the outside.";

    private final Engine engine;
    private final Config config;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();
    private ScheduledExecutorService cron;
    private Aof aof;
    private String transport;

    private final io.amdc.persist.rdb.RdbPersistence rdb;
    private LoopBalancer balancer;

    public NettyServer(Engine engine) {
        this.engine = engine;
        this.config = engine.config();
        this.rdb = io.amdc.persist.rdb.RdbPersistence.install(engine);
    }

    public io.amdc.persist.rdb.RdbPersistence rdb() {
        return rdb;
    }

    public Engine engine() {
        return engine;
    }

    public String transport() {
        return transport;
    }

    /** Binds every address of {@code bind} on {@code port}; returns the port actually bound. */
    public int start() throws InterruptedException {
        try {
            // The AOF is loaded before the first client can connect.
            aof = Aof.start(engine);
        } catch (java.io.IOException | IllegalStateException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        int threads = (int) config.getLong("io-threads");
        IoHandlerFactory factory;
        Class<? extends ServerChannel> channelClass;
        String wanted = System.getProperty("amdc.transport", "auto");
        if ((wanted.equals("auto") || wanted.equals("epoll")) && Epoll.isAvailable()) {
            factory = EpollIoHandler.newFactory();
            channelClass = EpollServerSocketChannel.class;
            transport = "epoll";
        } else if ((wanted.equals("auto") || wanted.equals("io_uring")) && IoUring.isAvailable()) {
            factory = IoUringIoHandler.newFactory();
            channelClass = IoUringServerSocketChannel.class;
            transport = "io_uring";
        } else {
            factory = NioIoHandler.newFactory();
            channelClass = NioServerSocketChannel.class;
            transport = "nio";
        }
        boss = new MultiThreadIoEventLoopGroup(1, factory);
        balancer = new LoopBalancer(engine);
        engine.ioLoops(balancer);
        workers = new MultiThreadIoEventLoopGroup(threads, (java.util.concurrent.Executor) null, balancer, factory);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, (int) config.getLong("tcp-backlog"))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.ALLOCATOR, IoBuffers.ALLOCATOR)
                .childOption(ChannelOption.ALLOCATOR, IoBuffers.ALLOCATOR)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, config.getLong("tcp-keepalive") > 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 4 * 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new Connection(engine, NettyServer.this));
                    }
                });
        int port = (int) config.getLong("port");
        int bound = port;
        for (String addr : config.get("bind").trim().split("\\s+")) {
            if (addr.isEmpty()) continue;
            boolean optional = addr.startsWith("-");
            String host = optional ? addr.substring(1) : addr;
            try {
                Channel ch = b.bind(new InetSocketAddress(host.equals("*") ? "0.0.0.0" : host, bound)).sync().channel();
                listeners.add(ch);
                bound = ((InetSocketAddress) ch.localAddress()).getPort();
            } catch (Exception e) {
                if (optional) {
                    Log.verbose("Could not bind optional address " + host + ": " + e.getMessage());
                    continue;
                }
                close();
                throw new IllegalStateException("Could not create server TCP listening socket " + host + ":" + port
                        + ": " + e.getMessage(), e);
            }
        }
        if (listeners.isEmpty()) {
            close();
            throw new IllegalStateException("Failed listening on port " + port + " (tcp), aborting.");
        }
        engine.port(bound);
        // Like Redis: listening already (clients get -LOADING meanwhile), then the dataset is loaded.
        try {
            // With appendonly on, the AOF (loaded above) is the dataset, as in Redis.
            if (!config.getBool("appendonly")) rdb.loadAtStartup();
        } catch (java.io.IOException e) {
            Log.warning("Fatal error loading the DB: " + e.getMessage() + ". Exiting.");
            close();
            throw new IllegalStateException("Fatal error loading the DB " + rdb.file() + ": " + e.getMessage(), e);
        }
        rdb.startCron();
        cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "amdc-cron");
            t.setDaemon(true);
            return t;
        });
        long periodMs = Math.max(2, 1000 / Math.max(1, config.getLong("hz")));
        cron.scheduleAtFixedRate(this::cronTick, periodMs, periodMs, TimeUnit.MILLISECONDS);
        cron.scheduleAtFixedRate(this::balanceTick, 20, 20, TimeUnit.MILLISECONDS);
        return bound;
    }

    private void balanceTick() {
        try {
            balancer.tick(System.nanoTime());
        } catch (Throwable t) {
            Log.warning("io balancer: " + t);
        }
    }

    LoopBalancer balancer() {
        return balancer;
    }

    private void cronTick() {
        try {
            engine.cron();
            long timeout = config.getLong("timeout");
            if (timeout > 0) {
                long now = System.currentTimeMillis();
                engine.clients().values().forEach(c -> {
                    if (now - c.lastInteractionMs() > timeout * 1000) c.kill();
                });
            }
        } catch (Throwable t) {
            Log.warning("cron: " + t);
        }
    }

    /** Why a new connection must be refused (maxclients, protected mode), or null. */
    String admissionError(SocketAddress remote, int connected) {
        if (connected >= config.getLong("maxclients")) return "ERR max number of clients reached";
        if (config.getBool("protected-mode") && !engine.authRequired()
                && remote instanceof InetSocketAddress a) {
            InetAddress ia = a.getAddress();
            if (ia != null && !ia.isLoopbackAddress()) return PROTECTED_DENIED;
        }
        return null;
    }

    @Override
    public void close() {
        for (Channel ch : listeners) ch.close().syncUninterruptibly();
        listeners.clear();
        engine.clients().values().forEach(io.amdc.core.session.Client::kill);
        if (cron != null) cron.shutdownNow();
        rdb.stopCron();
        // Bounded waits: an event loop stuck in a script (SHUTDOWN NOSAVE during a busy script)
        // must not keep the process alive; the caller exits after close() returns.
        if (workers != null) workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (boss != null) boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (aof != null) aof.close();
    }
}
