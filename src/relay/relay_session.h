/*
 * relay_session.h
 *		One streaming session of the relay worker: slot, decoder, producer and
 *		acknowledgement tracking, advanced one bounded unit of work at a time.
 */
#ifndef PUB_RELAY_SESSION_H
#define PUB_RELAY_SESSION_H

typedef enum SessionStatus
{
	SESSION_OPEN,
	SESSION_RETRY,				/* slot busy or brokers unreachable: retry soon */
	SESSION_MISCONFIGURED		/* retry after a reload */
} SessionStatus;

extern SessionStatus relay_session_open(void);

/* One unit of work; returns true if more is waiting (don't sleep). */
extern bool relay_session_step(void);

/* SESSION_OPEN, or why the last attempt to (re)open failed. */
extern SessionStatus relay_session_status(void);

/* Wait for what is in flight (bounded), confirm it, and stop producing. */
extern void relay_session_close(void);

#endif							/* PUB_RELAY_SESSION_H */
