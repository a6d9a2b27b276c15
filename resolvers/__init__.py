"""Thin resolvers: decode GraphQL arguments, call one service or loader, hand back models."""
