"""Bearer-token verification, one function per seed, chosen by TOKEN_STYLE."""

from typing import Optional

import jwt
from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from jose import JWTError
from jose import jwt as jose_jwt

import config

# FastAPI 0.92's HTTPBearer answers a missing header with 403 "Not authenticated"; clients of the
# seeds treat 401 as "sign in again", so the missing header is ours to answer.
security = HTTPBearer(auto_error=False)


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": "Bearer"},
    )


def verify_jose_hs256(token: str) -> str:
    """Seeds 000 and 004."""
    try:
        payload = jose_jwt.decode(
            token,
            config.SECRET,
            algorithms=["HS256"],
            audience=config.AUDIENCE,
            issuer=config.ISSUER,
            # Seed 000 writes options={"require": [...]}, which python-jose silently ignores.
            # `sub` is not required here because seed 004's tokens carry `user_id` instead.
            options={"require_exp": True, "require_iat": True},
        )
    except jose_jwt.ExpiredSignatureError:
        raise _unauthorized("Token has expired")
    except JWTError:
        raise _unauthorized("Could not validate credentials")

    user_id = payload.get("sub") or payload.get("user_id")
    if not isinstance(user_id, str) or not user_id:
        raise _unauthorized("Invalid token claims")
    return user_id


def verify_pyjwt_hs256(token: str) -> str:
    """Seed 002."""
    try:
        payload = jwt.decode(
            token,
            config.SECRET,
            algorithms=["HS256"],
            issuer=config.ISSUER,
            audience=config.AUDIENCE,
            options={"require": ["exp", "iat", "sub", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        raise _unauthorized("Token has expired")
    except jwt.InvalidTokenError:
        raise _unauthorized("Invalid token")
    return payload["sub"]


# Built once, as seed 003 does: it caches the key set for five minutes and refetches it when a
# token names a kid it has not seen.
_jwks_client = jwt.PyJWKClient(config.JWKS_URL) if config.TOKEN_STYLE == "pyjwt-jwks" else None


def verify_pyjwt_jwks(token: str) -> str:
    """Seed 003."""
    try:
        signing_key = _jwks_client.get_signing_key_from_jwt(token)
        payload = jwt.decode(
            token,
            signing_key.key,
            algorithms=["EdDSA"],
            issuer=config.ISSUER,
            audience=config.AUDIENCE,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError:
        raise _unauthorized("Token has expired")
    # PyJWTError, not seed 003's InvalidTokenError: an unknown kid or an unreachable key set
    # raises PyJWKClientError, which the seed lets through as a 500.
    except jwt.PyJWTError as error:
        raise _unauthorized(f"Invalid token: {error}")
    return payload["sub"]


_VERIFIERS = {
    "jose-hs256": verify_jose_hs256,
    "pyjwt-hs256": verify_pyjwt_hs256,
    "pyjwt-jwks": verify_pyjwt_jwks,
}


def get_current_user_id(credentials: Optional[HTTPAuthorizationCredentials] = Depends(security)) -> str:
    if credentials is None:
        raise _unauthorized("Not authenticated")
    return _VERIFIERS[config.TOKEN_STYLE](credentials.credentials)


def verify_user_id_match(user_id: str, current_user_id: str = Depends(get_current_user_id)) -> str:
    if user_id != current_user_id:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Access denied: user_id mismatch")
    return user_id
